package lab.dhcp.engine;

import java.util.Optional;
import lab.dhcp.lease.Lease;
import lab.dhcp.lease.LeaseListener;
import lab.dhcp.lease.LeaseState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the one INFO line per lease state change that operators grep for, once the change is durable. */
public final class LeaseChangeLog implements LeaseListener {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseChangeLog.class);

    @Override
    public void leaseChanged(Optional<Lease> before, Lease after) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String what = switch (after.state()) {
            case ACTIVE -> before.filter(b -> b.state() == LeaseState.ACTIVE && b.mac().equals(after.mac())).isPresent()
                    ? "lease renewed" : "lease committed";
            case RELEASED -> "lease released";
            case DECLINED -> "lease declined";
            case EXPIRED -> "lease expired";
        };
        LOG.info("{} mac={} ip={} hostname={} expires_in={}", what, after.mac(), after.ip().getHostAddress(),
                after.hostname().isEmpty() ? "-" : after.hostname(),
                Math.max(0, after.expires().getEpochSecond() - after.start().getEpochSecond()));
    }
}
