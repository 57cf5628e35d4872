package lab.appliance.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet page's three static files ({@code /}, {@code /app.js}, {@code /app.css}), read once from the classpath.
 * They hold no data, so they are served without the bearer token; the page sends the token on every API call.
 */
final class AdminPage {

    private static final String RESOURCES = "/admin-ui/";

    private final Map<String, AdminResponse> assets;

    AdminPage() {
        assets = Map.of(
                "/", asset("index.html", "text/html; charset=utf-8"),
                "/app.js", asset("app.js", "text/javascript; charset=utf-8"),
                "/app.css", asset("app.css", "text/css; charset=utf-8"));
    }

    /** The asset at exactly {@code path} for a GET, or empty (the request then needs the token like any other). */
    Optional<AdminResponse> answer(String method, String path) {
        if (!method.equals("GET")) {
            return Optional.empty();
        }
        return Optional.ofNullable(assets.get(path));
    }

    private static AdminResponse asset(String name, String contentType) {
        try (InputStream in = AdminPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the jar");
            }
            return new AdminResponse(200, contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCES + name, e);
        }
    }
}
