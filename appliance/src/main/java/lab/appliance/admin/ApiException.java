package lab.appliance.admin;

import java.util.Objects;

/** A request the admin API refuses, with the {@link ErrorBody} to answer. */
public final class ApiException extends Exception {

    private final ErrorBody body;

    public ApiException(ErrorBody body) {
        super(body.error());
        this.body = Objects.requireNonNull(body, "body");
    }

    public ApiException(int status, String error) {
        this(ErrorBody.of(status, error));
    }

    public ErrorBody body() {
        return body;
    }
}
