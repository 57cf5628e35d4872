package lab.appliance.netns;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The real DHCP clients the lab can drive; parameterized tests iterate over these. */
public enum DhcpClientKind {
    DHCLIENT("dhclient"),
    UDHCPC("udhcpc"),
    DHCPCD("dhcpcd");

    private final String program;

    DhcpClientKind(String program) {
        this.program = program;
    }

    public String program() {
        return program;
    }

    /** Skips the calling test, saying which binary is missing, when this client is not installed. */
    public void assumeInstalled() {
        Assumptions.assumeTrue(Executables.onPath(program), program + " not installed");
    }

    /** A driver for this client on {@code host}, keeping its files in {@code dir}. */
    public DhcpClientDriver driverFor(ClientHost host, Path dir) {
        return switch (this) {
            case DHCLIENT -> DhclientDriver.on(host, dir);
            case UDHCPC -> UdhcpcDriver.on(host, dir);
            case DHCPCD -> DhcpcdDriver.on(host, dir);
        };
    }
}
