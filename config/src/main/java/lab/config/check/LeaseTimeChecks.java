package lab.config.check;

import java.time.Duration;
import java.util.Optional;
import lab.config.DurationSyntax;
import lab.config.Located;
import lab.config.Problems;
import lab.config.model.DhcpConfig;

/**
 * Rules for the lease timers (RFC 2131 §4.4.5): lease-time is long enough, and renew-time (T1) &lt; rebind-time
 * (T2) &lt; lease-time, where an unset timer takes its default. A problem is reported at the timer the user wrote.
 */
public final class LeaseTimeChecks {

    private static final String DEFAULT_T1 = " (the default, half of lease-time)";
    private static final String DEFAULT_T2 = " (the default, 7/8 of lease-time)";

    private LeaseTimeChecks() {
    }

    public static void check(Located<Duration> leaseTime, Optional<Located<Duration>> renewTime,
            Optional<Located<Duration>> rebindTime, Problems problems) {
        Duration lease = leaseTime.value();
        if (lease.compareTo(DhcpConfig.MIN_LEASE_TIME) < 0) {
            problems.report(leaseTime.origin(), "lease-time " + text(lease) + " is too short (expected at least "
                    + text(DhcpConfig.MIN_LEASE_TIME) + ")");
            return;
        }
        boolean rebindFits = true;
        if (rebindTime.isPresent() && rebindTime.get().value().compareTo(lease) >= 0) {
            problems.report(rebindTime.get().origin(), "rebind-time " + text(rebindTime.get().value())
                    + " must be shorter than lease-time " + text(lease));
            rebindFits = false;
        }
        Duration t2 = rebindTime.map(Located::value).orElse(DhcpConfig.defaultRebindTime(lease));
        if (renewTime.isPresent()) {
            Duration t1 = renewTime.get().value();
            if (rebindFits && t1.compareTo(t2) >= 0) {
                problems.report(renewTime.get().origin(), "renew-time " + text(t1) + " must be shorter than "
                        + "rebind-time " + text(t2) + (rebindTime.isPresent() ? "" : DEFAULT_T2));
            } else if (!rebindFits && t1.compareTo(lease) >= 0) {
                problems.report(renewTime.get().origin(), "renew-time " + text(t1) + " must be shorter than "
                        + "lease-time " + text(lease));
            }
        } else if (rebindTime.isPresent() && rebindFits) {
            Duration t1 = DhcpConfig.defaultRenewTime(lease);
            if (t2.compareTo(t1) <= 0) {
                problems.report(rebindTime.get().origin(), "rebind-time " + text(t2) + " must be longer than "
                        + "renew-time " + text(t1) + DEFAULT_T1);
            }
        }
    }

    private static String text(Duration duration) {
        return DurationSyntax.format(duration);
    }
}
