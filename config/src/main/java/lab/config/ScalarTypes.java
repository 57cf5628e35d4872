package lab.config;

import java.net.Inet4Address;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import lab.config.model.PoolConfig;

/** The kinds of scalar the appliance config uses, each with its description for messages and its parser. */
final class ScalarTypes {

    static final ScalarType<Inet4Address> IPV4_ADDRESS =
            new ScalarType<>("an IPv4 address", Ipv4Syntax::parseAddress);
    static final ScalarType<AddressWithPrefix> ADDRESS_WITH_PREFIX =
            new ScalarType<>("an address with prefix length like 192.0.2.1/24", Ipv4Syntax::parseAddressWithPrefix);
    static final ScalarType<PoolConfig> POOL =
            new ScalarType<>("a pool like 192.0.2.10-192.0.2.99 or 192.0.2.0/24", Ipv4Syntax::parsePool);
    static final ScalarType<Duration> DURATION =
            new ScalarType<>("a duration like 90s, 30m, 1h30m or 2d", DurationSyntax::parse);
    static final ScalarType<String> MAC = new ScalarType<>("a MAC address", MacSyntax::parse);
    static final ScalarType<String> HOSTNAME = new ScalarType<>("a host name", HostnameSyntax::parse);
    static final ScalarType<String> INTERFACE_NAME =
            new ScalarType<>("a network interface name", ScalarTypes::parseInterfaceName);
    static final ScalarType<Integer> MTU = new ScalarType<>("an MTU", ScalarTypes::parseMtu);
    static final ScalarType<Path> PATH = new ScalarType<>("a directory path", ScalarTypes::parsePath);

    // Linux IFNAMSIZ is 16 bytes including the terminating NUL; dev_valid_name() also refuses '/', ':' and spaces.
    private static final int MAX_INTERFACE_NAME = 15;
    private static final int MIN_MTU = 68;
    private static final int MAX_MTU = 65_535;

    private ScalarTypes() {
    }

    private static String parseInterfaceName(String text) throws InvalidValueException {
        boolean valid = !text.isEmpty() && text.length() <= MAX_INTERFACE_NAME && !text.equals(".")
                && !text.equals("..") && text.chars().allMatch(c -> c > ' ' && c < 127 && c != '/' && c != ':');
        if (!valid) {
            throw new InvalidValueException(ConfigProblem.quote(text)
                    + " is not a network interface name (expected 1 to " + MAX_INTERFACE_NAME
                    + " printable ASCII characters without spaces, \"/\" or \":\")");
        }
        return text;
    }

    private static Integer parseMtu(String text) throws InvalidValueException {
        int mtu;
        try {
            mtu = text.chars().allMatch(c -> c >= '0' && c <= '9') ? Integer.parseInt(text) : -1;
        } catch (NumberFormatException e) {
            mtu = -1;
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new InvalidValueException(ConfigProblem.quote(text)
                    + " is not a valid MTU (expected a whole number from " + MIN_MTU + " to " + MAX_MTU + ")");
        }
        return mtu;
    }

    private static Path parsePath(String text) throws InvalidValueException {
        if (text.isBlank()) {
            throw new InvalidValueException("the path is empty (expected a directory path)");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidValueException(ConfigProblem.quote(text) + " is not a valid path: " + e.getReason());
        }
    }
}
