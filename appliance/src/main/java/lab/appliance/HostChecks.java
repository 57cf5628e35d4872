package lab.appliance;

import java.io.IOException;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import lab.appliance.state.StateFile;
import lab.config.ConfigProblem;
import lab.config.model.ApplianceConfig;
import lab.config.model.NetworkConfig;

/**
 * Checks, before anything binds, that this host can run the config: the served interface exists and carries the
 * appliance's address, and the state directory can be written. Problems use the config's format and point at the
 * key they concern. The appliance does not add the address itself: an operator's interface is not ours to change.
 */
final class HostChecks {

    private final ApplianceConfig config;
    private final ProblemLocator locator;

    HostChecks(ApplianceConfig config, ProblemLocator locator) {
        this.config = Objects.requireNonNull(config, "config");
        this.locator = Objects.requireNonNull(locator, "locator");
    }

    List<ConfigProblem> run() {
        List<ConfigProblem> problems = new ArrayList<>();
        checkInterface(problems);
        checkStateDir(problems);
        return problems;
    }

    private void checkInterface(List<ConfigProblem> problems) {
        NetworkConfig net = config.network();
        NetworkInterface nic;
        try {
            nic = NetworkInterface.getByName(net.interfaceName());
        } catch (SocketException e) {
            problems.add(locator.at("network.interface", "cannot list interfaces: " + e.getMessage()));
            return;
        }
        if (nic == null) {
            problems.add(locator.at("network.interface", "interface \"" + net.interfaceName()
                    + "\" does not exist on this host (expected one of: " + interfaceNames() + ")"));
            return;
        }
        List<InterfaceAddress> addresses = nic.getInterfaceAddresses();
        boolean carried = addresses.stream().anyMatch(a -> a.getAddress().equals(net.address())
                && a.getNetworkPrefixLength() == net.prefixLength());
        if (!carried) {
            String found = addresses.stream()
                    .filter(a -> a.getAddress().getAddress().length == 4)
                    .map(a -> a.getAddress().getHostAddress() + "/" + a.getNetworkPrefixLength())
                    .collect(Collectors.joining(", "));
            problems.add(locator.at("network.address", net.address().getHostAddress() + "/" + net.prefixLength()
                    + " is not configured on " + net.interfaceName() + " (found: "
                    + (found.isEmpty() ? "no IPv4 address" : found) + "; add it with: ip addr add "
                    + net.address().getHostAddress() + "/" + net.prefixLength() + " dev " + net.interfaceName() + ")"));
        }
        try {
            if (!nic.isUp()) {
                problems.add(locator.at("network.interface", "interface \"" + net.interfaceName() + "\" is down"));
            }
        } catch (SocketException e) {
            problems.add(locator.at("network.interface", "cannot read the state of " + net.interfaceName() + ": " + e.getMessage()));
        }
    }

    private void checkStateDir(List<ConfigProblem> problems) {
        Path dir = config.stateDir();
        try {
            StateFile.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            problems.add(locator.at("state-dir", "state directory " + dir + " is not writable: " + e
                    + " (expected a directory the appliance can create files in)"));
        }
    }

    private static String interfaceNames() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .map(NetworkInterface::getName).sorted().collect(Collectors.joining(", "));
        } catch (SocketException e) {
            return "unknown";
        }
    }
}
