package lab.appliance.netns;

import java.nio.file.Path;
import java.util.List;

/** dnsmasq as a stand-in server, to prove the client drivers before the appliance jar exists. */
public final class DnsmasqServer implements ServerUnderTest {

    @Override
    public String name() {
        return "dnsmasq";
    }

    /** {@code config} is a dnsmasq conf file; the lease file goes to the state dir. */
    @Override
    public List<String> command(Path config, Path stateDir) {
        return List.of("dnsmasq", "-k", "-C", "/dev/null", "--conf-file=" + config, "--log-facility=-",
                "--log-dhcp", "--no-ping", "--port=0", "--interface=" + NetnsLab.SERVER_INTERFACE,
                "--bind-interfaces", "--dhcp-leasefile=" + stateDir.resolve("dnsmasq.leases"),
                "--pid-file=" + stateDir.resolve("dnsmasq.pid"));
    }

    @Override
    public String readyLine() {
        return "DHCP, IP range";
    }
}
