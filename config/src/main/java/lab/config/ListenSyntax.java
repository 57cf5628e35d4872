package lab.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Reads a listening address, {@code HOST:PORT}, where HOST is an IPv4 literal or {@code localhost} (no name lookup). */
final class ListenSyntax {

    private static final int MAX_PORT = 65_535;

    private ListenSyntax() {
    }

    static InetSocketAddress parse(String text) throws InvalidValueException {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(text);
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        InetAddress address;
        if (host.equals("localhost")) {
            address = bytes("localhost", new byte[] {127, 0, 0, 1});
        } else {
            try {
                address = Ipv4Syntax.parseAddress(host);
            } catch (InvalidValueException e) {
                throw invalid(text);
            }
        }
        int port = portText.length() > 0 && portText.length() <= 5 && portText.chars().allMatch(Character::isDigit)
                && portText.charAt(0) != '0' ? Integer.parseInt(portText) : -1;
        if (port < 1 || port > MAX_PORT) {
            throw new InvalidValueException("port " + ConfigProblem.quote(portText) + " in " + ConfigProblem.quote(text)
                    + " is not a port number (expected 1 to " + MAX_PORT + ")");
        }
        return new InetSocketAddress(address, port);
    }

    private static InetAddress bytes(String name, byte[] address) {
        try {
            return InetAddress.getByAddress(name, address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static InvalidValueException invalid(String text) {
        return new InvalidValueException(ConfigProblem.quote(text)
                + " is not a listening address (expected HOST:PORT with an IPv4 address or localhost, e.g. 127.0.0.1:8807)");
    }
}
