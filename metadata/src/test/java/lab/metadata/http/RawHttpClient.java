package lab.metadata.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare TCP client for HTTP tests: sends bytes exactly as given, malformed ones included, and reads what comes back
 * (one response, or everything until the server closes). Shared with the appliance module's tests (test-jar).
 */
public final class RawHttpClient implements AutoCloseable {

    /** How long any single read waits: far above a loopback answer, bounded so a broken server fails the test. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;

    private RawHttpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Connects to {@code server} from {@code source} (any 127.0.0.0/8 address plays a distinct client). */
    public static RawHttpClient connect(InetSocketAddress server, InetAddress source) {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(server, (int) READ_TIMEOUT.toMillis());
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            return new RawHttpClient(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to " + server + " from " + source, e);
        }
    }

    /** Sends {@code request} from {@code source}, then reads until the server closes; see {@link Exchange}. */
    public static Exchange exchange(InetSocketAddress server, InetAddress source, String request) {
        try (RawHttpClient client = connect(server, source)) {
            client.send(request);
            return client.readUntilClosed();
        }
    }

    /**
     * Sends {@code text} as ISO-8859-1 bytes (one byte per char); false if the server had already closed or reset
     * the connection (expected when it refuses a request it has not finished reading).
     */
    public boolean send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public boolean send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads one response: status line, headers, and a body of its Content-Length. */
    public Response readResponse() {
        try {
            String statusLine = readLine();
            if (statusLine == null) {
                throw new IllegalStateException("the server closed without answering");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
                new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a response", e);
        }
    }

    /**
     * Reads until the server closes or resets, or {@link #READ_TIMEOUT} passes with nothing read; what came is
     * kept either way.
     */
    public Exchange readUntilClosed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean closed;
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    closed = true;
                    break;
                }
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException e) {
            closed = true;
        }
        return new Exchange(out.toString(StandardCharsets.ISO_8859_1), closed);
    }

    /** True when the server closes or resets within {@code within} without sending anything first. */
    public boolean closesWithoutAnswer(Duration within) {
        try {
            socket.setSoTimeout((int) within.toMillis());
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            } catch (IOException ignored) {
                // the socket is gone; the next call says so
            }
        }
    }

    /**
     * Sends {@code request} one byte every 50 ms or so (a slowloris client; seconds for even a short request) until
     * the server closes the connection; returns how many bytes went out.
     */
    public int trickle(String request) {
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i++) {
            if (!send(new byte[] {bytes[i]}) || closesWithoutAnswer(Duration.ofMillis(50))) {
                return i + 1;
            }
        }
        return bytes.length;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        return line.length() == 0 ? null : line.toString();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket: nothing to do about it
        }
    }

    /** One response as read. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    /**
     * Everything the server sent, and whether it then closed (false: it was still open at the read timeout).
     *
     * @param text   the bytes as ISO-8859-1
     * @param closed the server closed or reset the connection
     */
    public record Exchange(String text, boolean closed) {

        /** The status of the first response, or -1 when nothing came. */
        public int status() {
            if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
                return -1;
            }
            return Integer.parseInt(text.substring(9, 12));
        }

        /** The first response's headers carry {@code connection: close}. */
        public boolean saysClose() {
            int end = text.indexOf("\r\n\r\n");
            String head = (end < 0 ? text : text.substring(0, end)).toLowerCase(Locale.ROOT);
            return head.contains("\r\nconnection: close");
        }
    }
}
