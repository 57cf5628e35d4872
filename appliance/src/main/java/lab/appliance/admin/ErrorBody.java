package lab.appliance.admin;

import java.util.List;
import java.util.Objects;

/**
 * The JSON body of every admin API error: the status, a one-line message, and the problems with a field path each
 * ({@code ip}, {@code interfaces[0].gateway}; "" for the request as a whole).
 */
public record ErrorBody(int status, String error, List<FieldProblem> problems) {

    /** One thing wrong with a request, naming the field. */
    public record FieldProblem(String field, String message) {

        public FieldProblem {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }
    }

    public ErrorBody {
        Objects.requireNonNull(error, "error");
        problems = List.copyOf(problems);
    }

    public static ErrorBody of(int status, String error) {
        return new ErrorBody(status, error, List.of());
    }
}
