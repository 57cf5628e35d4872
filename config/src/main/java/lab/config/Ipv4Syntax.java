package lab.config;

import java.net.Inet4Address;
import lab.config.model.Ipv4;
import lab.config.model.PoolConfig;

/**
 * Reads IPv4 addresses, interface addresses with a prefix length and address pools as written in the config.
 *
 * <p>Addresses are strict dotted decimal: four numbers 0-255 without leading zeros. The JDK's own parser also takes
 * forms like {@code 10.1} or host names (and would resolve them), which would let typos through.
 */
public final class Ipv4Syntax {

    static final String ADDRESS_EXAMPLE = "expected dotted decimal like 192.0.2.1";

    // A pool needs at least one address between its network and broadcast addresses.
    private static final int LONGEST_USABLE_PREFIX = 30;

    private Ipv4Syntax() {
    }

    /** Parses {@code 192.0.2.1}. */
    public static Inet4Address parseAddress(String text) throws InvalidValueException {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw notAnAddress(text);
        }
        long value = 0;
        for (String part : parts) {
            value = (value << 8) | parseOctet(part, text);
        }
        return Ipv4.fromLong(value);
    }

    /**
     * Parses an interface address {@code 10.20.0.1/16}. The prefix must leave room for clients (/1 to /30) and the
     * address must be a host of its subnet, not the network or broadcast address.
     */
    public static AddressWithPrefix parseAddressWithPrefix(String text) throws InvalidValueException {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new InvalidValueException(ConfigProblem.quote(text)
                    + " has no prefix length (expected an address with prefix length like 192.0.2.1/24)");
        }
        Inet4Address address = parseAddress(text.substring(0, slash));
        int prefix = parsePrefixLength(text.substring(slash + 1), text);
        if (prefix < 1 || prefix > LONGEST_USABLE_PREFIX) {
            throw new InvalidValueException("prefix length /" + prefix + " in " + ConfigProblem.quote(text)
                    + " leaves no room for clients (expected /1 to /" + LONGEST_USABLE_PREFIX + ")");
        }
        long value = Ipv4.toLong(address);
        long mask = Ipv4.mask(prefix);
        long network = value & mask;
        String subnet = Ipv4.fromLong(network).getHostAddress() + "/" + prefix;
        if (value == network) {
            throw new InvalidValueException(address.getHostAddress() + " is the network address of " + subnet
                    + " (expected a host address such as " + Ipv4.fromLong(network + 1).getHostAddress() + "/"
                    + prefix + ")");
        }
        if (value == (network | ~mask & 0xFFFF_FFFFL)) {
            throw new InvalidValueException(address.getHostAddress() + " is the broadcast address of " + subnet
                    + " (expected a host address such as " + Ipv4.fromLong(network + 1).getHostAddress() + "/"
                    + prefix + ")");
        }
        return new AddressWithPrefix(address, prefix);
    }

    /**
     * Parses a subnet {@code 10.30.0.0/24}: its network address (host bits zero) and a prefix that leaves room for
     * clients (/1 to /30).
     */
    public static AddressWithPrefix parseSubnet(String text) throws InvalidValueException {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new InvalidValueException(ConfigProblem.quote(text)
                    + " has no prefix length (expected a subnet like 192.0.2.0/24)");
        }
        Inet4Address address = parseAddress(text.substring(0, slash));
        int prefix = parsePrefixLength(text.substring(slash + 1), text);
        if (prefix < 1 || prefix > LONGEST_USABLE_PREFIX) {
            throw new InvalidValueException("prefix length /" + prefix + " in " + ConfigProblem.quote(text)
                    + " leaves no room for clients (expected /1 to /" + LONGEST_USABLE_PREFIX + ")");
        }
        long network = Ipv4.toLong(address) & Ipv4.mask(prefix);
        if (network != Ipv4.toLong(address)) {
            throw new InvalidValueException("subnet " + ConfigProblem.quote(text)
                    + " has host bits set (expected its network address, " + Ipv4.fromLong(network).getHostAddress()
                    + "/" + prefix + ")");
        }
        return new AddressWithPrefix(address, prefix);
    }

    /**
     * Parses a pool: {@code 192.0.2.10-192.0.2.99} (both ends included, spaces around the dash allowed), or a CIDR
     * block {@code 192.0.2.0/24} meaning its addresses without the network and broadcast address (.1 … .254).
     */
    public static PoolConfig parsePool(String text) throws InvalidValueException {
        if (text.indexOf('/') >= 0) {
            return parseBlock(text);
        }
        String[] ends = text.split("-", -1);
        if (ends.length != 2) {
            throw new InvalidValueException(ConfigProblem.quote(text) + " is not a pool (expected FIRST-LAST like "
                    + "192.0.2.10-192.0.2.99, or a CIDR block like 192.0.2.0/24)");
        }
        Inet4Address first = parseAddress(ends[0].strip());
        Inet4Address last = parseAddress(ends[1].strip());
        if (Ipv4.toLong(first) > Ipv4.toLong(last)) {
            throw new InvalidValueException("pool " + ConfigProblem.quote(text)
                    + " runs backwards (expected the first address to come before the last)");
        }
        return new PoolConfig(first, last);
    }

    private static PoolConfig parseBlock(String text) throws InvalidValueException {
        int slash = text.indexOf('/');
        Inet4Address address = parseAddress(text.substring(0, slash));
        int prefix = parsePrefixLength(text.substring(slash + 1), text);
        if (prefix > LONGEST_USABLE_PREFIX) {
            throw new InvalidValueException("pool " + ConfigProblem.quote(text)
                    + " has no addresses once its network and broadcast addresses are left out"
                    + " (expected a prefix of /" + LONGEST_USABLE_PREFIX + " or shorter)");
        }
        long mask = Ipv4.mask(prefix);
        long network = Ipv4.toLong(address) & mask;
        if (network != Ipv4.toLong(address)) {
            throw new InvalidValueException("pool " + ConfigProblem.quote(text)
                    + " has host bits set (expected the block's first address, "
                    + Ipv4.fromLong(network).getHostAddress() + "/" + prefix + ")");
        }
        long broadcast = network | (~mask & 0xFFFF_FFFFL);
        return new PoolConfig(Ipv4.fromLong(network + 1), Ipv4.fromLong(broadcast - 1));
    }

    private static int parseOctet(String part, String whole) throws InvalidValueException {
        if (!isCanonicalNumber(part, 3)) {
            throw notAnAddress(whole);
        }
        int value = Integer.parseInt(part);
        if (value > 255) {
            throw notAnAddress(whole);
        }
        return value;
    }

    private static int parsePrefixLength(String part, String whole) throws InvalidValueException {
        if (!isCanonicalNumber(part, 2) || Integer.parseInt(part) > 32) {
            throw new InvalidValueException(ConfigProblem.quote(whole) + " has a bad prefix length "
                    + ConfigProblem.quote(part)
                    + " (expected a number from 0 to 32 after the slash)");
        }
        return Integer.parseInt(part);
    }

    // Digits only, no sign, and no leading zero: "010" would read as octal to some tools and as ten to others.
    private static boolean isCanonicalNumber(String part, int maxDigits) {
        if (part.isEmpty() || part.length() > maxDigits || (part.length() > 1 && part.charAt(0) == '0')) {
            return false;
        }
        return part.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static InvalidValueException notAnAddress(String text) {
        return new InvalidValueException(
                ConfigProblem.quote(text) + " is not an IPv4 address (" + ADDRESS_EXAMPLE + ")");
    }
}
