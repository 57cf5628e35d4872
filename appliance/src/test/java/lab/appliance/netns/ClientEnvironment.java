package lab.appliance.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The environment a client script saved ({@code env} output, one {@code KEY=value} per line), with typed
 * accessors for the values clients put there. Values are checked before use: a malformed one fails naming
 * the key and the file, never turns into a DNS lookup or a silent default.
 */
final class ClientEnvironment {

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Path file;
    private final Map<String, String> values;

    private ClientEnvironment(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    static ClientEnvironment read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read client environment " + file, e);
        }
        return new ClientEnvironment(file, values);
    }

    String text(String key) {
        return values.getOrDefault(key, "").trim();
    }

    Inet4Address address(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            throw new IllegalStateException(file + ": " + key + " is missing");
        }
        return parseAddress(key, value);
    }

    Optional<Inet4Address> optionalAddress(String key) {
        String value = text(key);
        return value.isEmpty() ? Optional.empty() : Optional.of(parseAddress(key, value));
    }

    List<Inet4Address> addresses(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(value.split("\\s+")).map(v -> parseAddress(key, v)).toList();
    }

    /** The prefix length of a dotted netmask such as {@code 255.255.0.0}. */
    int prefixFromMask(String key) {
        byte[] mask = address(key).getAddress();
        int bits = ((mask[0] & 0xFF) << 24) | ((mask[1] & 0xFF) << 16) | ((mask[2] & 0xFF) << 8) | (mask[3] & 0xFF);
        int prefix = Integer.bitCount(bits);
        if (bits != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
            throw new IllegalStateException(file + ": " + key + " is not a contiguous netmask: " + text(key));
        }
        return prefix;
    }

    OptionalInt optionalInt(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + ": " + key + " is not a number: " + value, e);
        }
    }

    /** Option 121 given as {@code "dest/len gateway"} pairs (udhcpc {@code staticroutes}, dhcpcd). */
    List<String> routesFromPairs(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            return List.of();
        }
        String[] words = value.split("\\s+");
        if (words.length % 2 != 0) {
            throw new IllegalStateException(file + ": " + key + " is not destination/gateway pairs: " + value);
        }
        List<String> routes = new ArrayList<>();
        for (int i = 0; i < words.length; i += 2) {
            routes.add(words[i] + " via " + words[i + 1]);
        }
        return routes;
    }

    /**
     * Option 121 given as its RFC 3442 bytes in decimal (dhclient's {@code array of unsigned integer 8}): per
     * route a width, the significant octets of the destination, then four octets of router.
     */
    List<String> routesFromRfc3442Bytes(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            return List.of();
        }
        int[] bytes;
        try {
            bytes = Arrays.stream(value.split("[\\s,]+")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + ": " + key + " is not a byte list: " + value, e);
        }
        List<String> routes = new ArrayList<>();
        int i = 0;
        while (i < bytes.length) {
            int width = bytes[i++];
            int significant = (width + 7) / 8;
            if (width > 32 || i + significant + 4 > bytes.length) {
                throw new IllegalStateException(file + ": " + key + " is a truncated RFC 3442 list: " + value);
            }
            int[] dest = new int[4];
            for (int j = 0; j < significant; j++) {
                dest[j] = bytes[i++];
            }
            String router = bytes[i] + "." + bytes[i + 1] + "." + bytes[i + 2] + "." + bytes[i + 3];
            i += 4;
            routes.add(dest[0] + "." + dest[1] + "." + dest[2] + "." + dest[3] + "/" + width + " via " + router);
        }
        return routes;
    }

    private Inet4Address parseAddress(String key, String value) {
        if (!DOTTED_QUAD.matcher(value).matches()) {
            throw new IllegalStateException(file + ": " + key + " is not an IPv4 address: " + value);
        }
        try {
            // A dotted-quad literal: getByName parses it without any lookup.
            return (Inet4Address) InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(file + ": " + key + " is not an IPv4 address: " + value, e);
        }
    }
}
