package lab.metadata.http;

import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Hostile HTTP/1.1 inputs every server of the appliance must refuse with 400 and a close, as parameterized-test
 * arguments (name, raw request); and builders for inputs over a limit. Shared with the appliance module (test-jar).
 */
public final class HostileRequests {

    private HostileRequests() {
    }

    /** Request lines and heads that are not HTTP/1.x or not well formed. */
    public static List<Arguments> malformed() {
        return List.of(
            Arguments.of("binary garbage", "\u0000\u0001\u0002 this is not http \r\n\r\n"),
            Arguments.of("HTTP/0.9 line", "GET /\r\n\r\n"),
            Arguments.of("unknown protocol", "GET / FOO/1.1\r\nHost: x\r\n\r\n"),
            Arguments.of("space inside the target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"),
            Arguments.of("bare LF line ends", "GET / HTTP/1.1\nHost: x\n\n"),
            Arguments.of("header without colon", "GET / HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"),
            Arguments.of("space before the colon", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length : 0\r\n\r\n"),
            Arguments.of("CR inside a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n"),
            Arguments.of("Content-Length not a number", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n"),
            Arguments.of("negative Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
            Arguments.of("broken chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\nhello\r\n0\r\n\r\n"));
    }

    /**
     * Framings two parsers could read differently, so a second request hides in the first one's body (RFC 9112
     * §6.3, §11.2). Each body carries {@code GET /smuggled}, which no server may ever see.
     */
    public static List<Arguments> smuggling() {
        String inner = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
        String chunked = Integer.toHexString(inner.length()) + "\r\n" + inner + "\r\n0\r\n\r\n";
        return List.of(
            Arguments.of("Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunked),
            Arguments.of("Transfer-Encoding and Content-Length", "POST / HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\nContent-Length: " + chunked.length() + "\r\n\r\n" + chunked),
            Arguments.of("differing Content-Lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                + "Content-Length: " + inner.length() + "\r\n\r\n" + inner),
            Arguments.of("equal Content-Lengths twice", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + inner.length() + "\r\nContent-Length: " + inner.length() + "\r\n\r\n" + inner),
            Arguments.of("Content-Length list", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0, "
                + inner.length() + "\r\n\r\n" + inner),
            Arguments.of("unknown transfer coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"
                + inner),
            Arguments.of("chunked not last", "POST / HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked, identity\r\n\r\n" + chunked),
            Arguments.of("chunked look-alike", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n"
                + chunked),
            Arguments.of("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n" + chunked));
    }

    /**
     * Traversal attempts and odd encodings in metadata paths, with the status the caller's own tree answers: 400
     * for what only a trick would send (dot segments, encoded separators, backslashes, control characters, broken
     * escapes, a target that is no path), 404 for the rest (double slashes, overlong UTF-8, invalid UTF-8).
     * The body is then "bad request: unusable path" or "not found".
     */
    public static List<Arguments> oddMetadataPaths() {
        return List.of(
            Arguments.of("/latest/meta-data/../../etc/passwd", 400),
            Arguments.of("/latest/meta-data/%2e%2e/%2e%2e/etc/passwd", 400),
            Arguments.of("/%2E%2E/%2E%2E/etc/passwd", 400),
            Arguments.of("/latest/meta-data/./instance-id", 400),
            Arguments.of("/openstack/../latest/meta-data/instance-id", 400),
            Arguments.of("/nocloud/%2e%2e/%2e%2e/etc/passwd", 400),
            Arguments.of("/latest/meta-data%2Finstance-id", 400),
            Arguments.of("/latest/meta-data/public-keys/0/..%2f..%2fopenssh-key", 400),
            Arguments.of("/latest/meta-data/%5c..%5c..%5cetc%5cpasswd", 400),
            Arguments.of("/latest\\meta-data\\instance-id", 400),
            Arguments.of("/latest/meta-data/instance-id%00", 400),
            Arguments.of("/latest/meta-data/instance-id%00.html", 400),
            Arguments.of("/latest/meta-data/%0d%0aX-Injected:%20yes", 400),
            Arguments.of("/latest/meta-data/instance-id%", 400),
            Arguments.of("/latest/meta-data/%zz", 400),
            Arguments.of("http://192.0.2.99/latest/meta-data/../../etc/passwd", 400),
            Arguments.of("*", 400),
            Arguments.of("//latest//meta-data//instance-id", 404),
            Arguments.of("/latest/meta-data/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", 404),
            Arguments.of("/latest/meta-data/%e0%80%ae%e0%80%ae/instance-id", 404),
            Arguments.of("/latest/meta-data/%ff%fe", 404),
            Arguments.of("/etc/passwd", 404));
    }

    /** {@code GET} with a request line of about {@code bytes}. */
    public static String longRequestLine(int bytes) {
        return "GET /" + "a".repeat(bytes) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    /** {@code GET /} with about {@code bytes} of headers, in lines of 1 KiB. */
    public static String hugeHeaders(int bytes) {
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i * 1024 < bytes; i++) {
            request.append("X-Filler-").append(i).append(": ").append("b".repeat(1000)).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** A POST announcing {@code bytes} of body by Content-Length, with no body sent. */
    public static String announcedBody(String path, int bytes) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes + "\r\n\r\n";
    }

    /** A chunked POST of {@code bytes} in chunks of 8 KiB, with the final chunk. */
    public static String chunkedBody(String path, int bytes) {
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: x\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n");
        for (int sent = 0; sent < bytes; sent += 8192) {
            int size = Math.min(8192, bytes - sent);
            request.append(Integer.toHexString(size)).append("\r\n").append("c".repeat(size)).append("\r\n");
        }
        return request.append("0\r\n\r\n").toString();
    }
}
