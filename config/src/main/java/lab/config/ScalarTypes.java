package lab.config;

import java.net.Inet4Address;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import lab.config.model.Datasource;
import lab.config.model.ImdsTokens;
import lab.config.model.StoreConfig;
import lab.config.model.PoolConfig;

/** The kinds of scalar the appliance config uses, each with its description for messages and its parser. */
final class ScalarTypes {

    static final ScalarType<Inet4Address> IPV4_ADDRESS =
            new ScalarType<>("an IPv4 address", Ipv4Syntax::parseAddress);
    static final ScalarType<AddressWithPrefix> ADDRESS_WITH_PREFIX =
            new ScalarType<>("an address with prefix length like 192.0.2.1/24", Ipv4Syntax::parseAddressWithPrefix);
    static final ScalarType<AddressWithPrefix> SUBNET =
            new ScalarType<>("a subnet like 192.0.2.0/24", Ipv4Syntax::parseSubnet);
    static final ScalarType<PoolConfig> POOL =
            new ScalarType<>("a pool like 192.0.2.10-192.0.2.99 or 192.0.2.0/24", Ipv4Syntax::parsePool);
    static final ScalarType<Duration> DURATION =
            new ScalarType<>("a duration like 90s, 30m, 1h30m or 2d", DurationSyntax::parse);
    static final ScalarType<Duration> DNS_TTL =
            new ScalarType<>("a TTL like 10s or 5m, at most 1d", ScalarTypes::parseTtl);
    static final ScalarType<Integer> RATE_LIMIT =
            new ScalarType<>("questions a second per client", ScalarTypes::parseRateLimit);
    static final ScalarType<Integer> POOL_SHARE =
            new ScalarType<>("a share of the pool like 50%", ScalarTypes::parsePoolShare);
    static final ScalarType<Integer> NEW_CLIENT_RATE =
            new ScalarType<>("new unknown clients a second", ScalarTypes::parseNewClientRate);
    static final ScalarType<String> MAC = new ScalarType<>("a MAC address", MacSyntax::parse);
    static final ScalarType<String> HOSTNAME = new ScalarType<>("a host name", HostnameSyntax::parse);
    static final ScalarType<String> INTERFACE_NAME =
            new ScalarType<>("a network interface name", ScalarTypes::parseInterfaceName);
    static final ScalarType<Integer> MTU = new ScalarType<>("an MTU", ScalarTypes::parseMtu);
    static final ScalarType<Path> PATH = new ScalarType<>("a directory path", ScalarTypes::parsePath);
    static final ScalarType<Path> FILE = new ScalarType<>("a file path", ScalarTypes::parsePath);
    static final ScalarType<Boolean> BOOLEAN = new ScalarType<>("true or false", ScalarTypes::parseBoolean);
    static final ScalarType<ImdsTokens> IMDS_TOKENS =
            new ScalarType<>("optional or required", ScalarTypes::parseImdsTokens);
    static final ScalarType<Datasource> DATASOURCE =
            new ScalarType<>("a cloud-init datasource", ScalarTypes::parseDatasource);
    static final ScalarType<String> PROFILE_NAME = new ScalarType<>("a profile name",
            text -> matching(text, ScalarTypes.PROFILE_NAME_PATTERN, "is not a profile name",
                    "1 to 32 lowercase letters, digits and hyphens"));
    static final ScalarType<String> INSTANCE_ID = new ScalarType<>("an instance id",
            text -> matching(text, ScalarTypes.INSTANCE_ID_PATTERN, "is not an instance id",
                    "1 to 64 letters, digits, \".\", \"_\" and \"-\""));
    static final ScalarType<String> ZONE = new ScalarType<>("an availability zone name",
            text -> matching(text, ScalarTypes.INSTANCE_ID_PATTERN, "is not an availability zone name",
                    "1 to 64 letters, digits, \".\", \"_\" and \"-\""));
    static final ScalarType<String> PASSWORD = new ScalarType<>("a password", ScalarTypes::parsePassword);
    static final ScalarType<String> NODE_NAME = new ScalarType<>("a node name",
            text -> matching(text, ScalarTypes.INSTANCE_ID_PATTERN, "is not a node or pair name",
                    "1 to 64 letters, digits, \".\", \"_\" and \"-\""));
    static final ScalarType<String> DATABASE_USER = new ScalarType<>("a database role",
            text -> matching(text, ScalarTypes.INSTANCE_ID_PATTERN, "is not a database role name",
                    "1 to 64 letters, digits, \".\", \"_\" and \"-\""));
    static final ScalarType<StoreConfig.Kind> STORE_KIND =
            new ScalarType<>("journal or postgresql", ScalarTypes::parseStoreKind);
    static final ScalarType<String> JDBC_URL =
            new ScalarType<>("a PostgreSQL JDBC URL", ScalarTypes::parseJdbcUrl);
    static final ScalarType<Integer> POOL_SIZE =
            new ScalarType<>("a connection count from 2 to 64", ScalarTypes::parsePoolSize);
    static final ScalarType<String> MAC_PREFIX = new ScalarType<>("a MAC prefix", ScalarTypes::parseMacPrefix);
    static final ScalarType<String> TEXT = new ScalarType<>("text", ScalarTypes::parseText);
    static final ScalarType<String> SSH_KEY = new ScalarType<>("an SSH public key", SshKeySyntax::parse);
    static final ScalarType<InetSocketAddress> LISTEN =
            new ScalarType<>("a listening address like 127.0.0.1:8807", ListenSyntax::parse);

    // Linux IFNAMSIZ is 16 bytes including the terminating NUL; dev_valid_name() also refuses '/', ':' and spaces.
    private static final int MAX_INTERFACE_NAME = 15;
    private static final int MIN_MTU = 68;
    private static final Duration MAX_TTL = Duration.ofDays(1);
    private static final int MAX_RATE_LIMIT = 1_000_000;
    private static final int MAX_MTU = 65_535;
    private static final Pattern JDBC_URL_PATTERN =
            Pattern.compile("jdbc:postgresql://[A-Za-z0-9.\\[\\]:_-]+(:[0-9]{1,5})?/[A-Za-z0-9_-]+(\\?\\S*)?");
    private static final Pattern PROFILE_NAME_PATTERN = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern INSTANCE_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern MAC_PREFIX_PATTERN =
            Pattern.compile("\\p{XDigit}{2}(?:([:-])\\p{XDigit}{2}(?:\\1\\p{XDigit}{2}){0,4})?");
    private static final int MAX_PASSWORD = 64;

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

    /** The digits as a number; -1 for anything else, or more than an int holds. */
    private static int wholeNumber(String text) {
        try {
            return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9') ? Integer.parseInt(text) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Duration parseTtl(String text) throws InvalidValueException {
        // 0 is a TTL (dnsmasq's default for its DHCP names: never cached), unlike a zero duration elsewhere.
        Duration ttl = "0".equals(text) ? Duration.ZERO : DurationSyntax.parse(text);
        if (ttl.compareTo(MAX_TTL) > 0) {
            throw new InvalidValueException(ConfigProblem.quote(text) + " is too long a TTL (expected at most 1d: "
                    + "names follow leases, and resolvers would keep a moved name for that long)");
        }
        return ttl;
    }

    private static Integer parseRateLimit(String text) throws InvalidValueException {
        int limit = wholeNumber(text);
        if (limit < 0 || limit > MAX_RATE_LIMIT) {
            throw new InvalidValueException(ConfigProblem.quote(text) + " is not a rate limit (expected a whole "
                    + "number of questions a second per client, 0 for none, at most " + MAX_RATE_LIMIT + ")");
        }
        return limit;
    }

    // The % sign is required: "50" next to a rate-limit of 50 a second reads as either.
    private static Integer parsePoolShare(String text) throws InvalidValueException {
        int percent = text.endsWith("%") ? wholeNumber(text.substring(0, text.length() - 1)) : -1;
        if (percent < 0 || percent > 100) {
            throw new InvalidValueException(ConfigProblem.quote(text) + " is not a pool share (expected a whole "
                    + "percentage from 0% to 100%, e.g. 50%)");
        }
        return percent;
    }

    private static Integer parseNewClientRate(String text) throws InvalidValueException {
        int limit = wholeNumber(text);
        if (limit < 0 || limit > MAX_RATE_LIMIT) {
            throw new InvalidValueException(ConfigProblem.quote(text) + " is not a rate limit (expected a whole "
                    + "number of new unknown clients a second, 0 for none, at most " + MAX_RATE_LIMIT + ")");
        }
        return limit;
    }

    private static Integer parseMtu(String text) throws InvalidValueException {
        int mtu = wholeNumber(text);
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

    private static String matching(String text, Pattern pattern, String what, String expected)
            throws InvalidValueException {
        if (!pattern.matcher(text).matches()) {
            throw new InvalidValueException(ConfigProblem.quote(text) + " " + what + " (expected " + expected + ")");
        }
        return text;
    }

    // Only the two words: YAML 1.1's yes/no/on/off are too easy to write by accident.
    private static Boolean parseBoolean(String text) throws InvalidValueException {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new InvalidValueException(ConfigProblem.quote(text) + " is not a boolean (expected true "
                    + "or false)");
        };
    }

    private static ImdsTokens parseImdsTokens(String text) throws InvalidValueException {
        return switch (text) {
            case "optional" -> ImdsTokens.OPTIONAL;
            case "required" -> ImdsTokens.REQUIRED;
            default -> throw new InvalidValueException(ConfigProblem.quote(text) + " is not an imds-tokens mode "
                    + "(expected optional or required)");
        };
    }

    private static Datasource parseDatasource(String text) throws InvalidValueException {
        for (Datasource datasource : Datasource.values()) {
            if (datasource.key().equals(text)) {
                return datasource;
            }
        }
        throw new InvalidValueException(ConfigProblem.quote(text) + " is not a datasource (expected one of: "
                + Arrays.stream(Datasource.values()).map(Datasource::key).collect(Collectors.joining(", ")) + ")");
    }

    // The CloudStack password server answers with the password as one line, so no blanks or line breaks.
    private static String parsePassword(String text) throws InvalidValueException {
        boolean valid = !text.isEmpty() && text.length() <= MAX_PASSWORD
                && text.chars().allMatch(c -> c > ' ' && c < 127);
        if (!valid) {
            throw new InvalidValueException("the password is not usable (expected 1 to " + MAX_PASSWORD
                    + " printable ASCII characters without spaces)");
        }
        return text;
    }

    private static String parseMacPrefix(String text) throws InvalidValueException {
        if (!MAC_PREFIX_PATTERN.matcher(text).matches()) {
            throw new InvalidValueException(ConfigProblem.quote(text) + " is not a MAC prefix (expected 1 to 6 hex "
                    + "pairs separated by : or -, e.g. 02:00:00:aa)");
        }
        return text.replace('-', ':').toLowerCase(Locale.ROOT);
    }

    private static String parseText(String text) throws InvalidValueException {
        if (text.isBlank()) {
            throw new InvalidValueException("the text is empty (expected some text)");
        }
        return text;
    }

    private static StoreConfig.Kind parseStoreKind(String text) throws InvalidValueException {
        return switch (text) {
            case "journal" -> StoreConfig.Kind.JOURNAL;
            case "postgresql" -> StoreConfig.Kind.POSTGRESQL;
            default -> throw new InvalidValueException(ConfigProblem.quote(text) + " is not a store kind "
                    + "(expected journal or postgresql)");
        };
    }

    private static String parseJdbcUrl(String text) throws InvalidValueException {
        if (!JDBC_URL_PATTERN.matcher(text).matches()) {
            throw new InvalidValueException(ConfigProblem.quote(text) + " is not a PostgreSQL JDBC URL "
                    + "(expected jdbc:postgresql://host:port/database, e.g. jdbc:postgresql://10.99.0.1:5432/appliance)");
        }
        return text;
    }

    private static int parsePoolSize(String text) throws InvalidValueException {
        try {
            int size = Integer.parseInt(text);
            if (size >= 2 && size <= 64) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidValueException(ConfigProblem.quote(text) + " is not a pool size "
                + "(expected 2 to 64 connections)");
    }
}
