package lab.appliance.admin;

import java.util.Objects;

/** What the admin API answers: a status, a content type and a body. */
public record AdminResponse(int status, String contentType, byte[] body) {

    public static final String JSON = "application/json";

    public AdminResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }
}
