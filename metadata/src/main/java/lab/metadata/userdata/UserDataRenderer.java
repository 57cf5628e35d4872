package lab.metadata.userdata;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders Jinja user-data templates (Jinjava behind it) with the instance's variables: {@code hostname},
 * {@code instance_id}, {@code ip}, {@code mac}, {@code profile}, {@code meta} (map), {@code interfaces} (list of
 * maps), {@code seq}.
 *
 * <p>Which user-data is a template ({@link #isTemplate}): UTF-8 text containing {@code {{} or {@code {%}, unless it
 * is gzip (bytes, never re-encoded), MIME multi-part ({@code Content-Type:}/{@code MIME-Version:} first), or starts
 * with cloud-init's own {@code ## template: jinja} header (cloud-init renders those on the VM with its own
 * variables). Everything else passes through byte for byte ({@link #prepare}).
 *
 * <p>Safety: Jinjava refuses {@code getClass()} and friends, so templates cannot reach Java; output is capped
 * ({@code maxOutputBytes}) and Jinjava caps {@code range()} at 1000 items. An unknown filter renders as nothing in
 * Jinjava without complaint, so filter names are checked against Jinjava's filter library first.
 */
public final class UserDataRenderer {

    /** Default output cap: 1 MiB, far above any sane cloud-config and well below what a VM can fetch. */
    public static final int DEFAULT_MAX_OUTPUT_BYTES = 1 << 20;

    private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};
    private static final Pattern CLOUD_INIT_TEMPLATE = Pattern.compile("^## *template: *jinja",
        Pattern.CASE_INSENSITIVE);
    /** Jinja code: {{ … }} and {% … %}, across lines. */
    private static final Pattern CODE = Pattern.compile("\\{\\{(.*?)}}|\\{%(.*?)%}", Pattern.DOTALL);
    /** A filter application inside code: "| name". Not "||", which Jinja does not have. */
    private static final Pattern FILTER = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");

    /** The result: the bytes to serve and whether they came out of the template engine. */
    public record Rendered(byte[] bytes, boolean templated) {
        public Rendered {
            Objects.requireNonNull(bytes, "bytes");
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final Jinjava jinjava;

    public UserDataRenderer() {
        this(DEFAULT_MAX_OUTPUT_BYTES);
    }

    public UserDataRenderer(int maxOutputBytes) {
        if (maxOutputBytes < 1) {
            throw new IllegalArgumentException("maxOutputBytes must be positive: " + maxOutputBytes);
        }
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder()
            .withMaxOutputSize(maxOutputBytes)
            .withFailOnUnknownTokens(false)
            .build());
    }

    /** Whether {@code userData} is a template this renderer renders (see the class comment). */
    public static boolean isTemplate(byte[] userData) {
        if (startsWith(userData, GZIP_MAGIC)) {
            return false;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(userData)).toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        String head = text.stripLeading().toLowerCase(Locale.ROOT);
        if (head.startsWith("content-type:") || head.startsWith("mime-version:")
            || CLOUD_INIT_TEMPLATE.matcher(text).lookingAt()) {
            return false;
        }
        return text.contains("{{") || text.contains("{%");
    }

    /** Renders {@code userData} when it is a template, else returns the same bytes untouched. */
    public Rendered prepare(byte[] userData, Map<String, Object> variables) throws UserDataTemplateException {
        if (!isTemplate(userData)) {
            return new Rendered(userData.clone(), false);
        }
        return render(new String(userData, StandardCharsets.UTF_8), variables);
    }

    /** Renders a template; any error (syntax, unknown tag or filter, output too big, …) fails it. */
    public Rendered render(String template, Map<String, Object> variables) throws UserDataTemplateException {
        List<TemplateError> errors = new ArrayList<>(unknownFilters(template));
        RenderResult result = jinjava.renderForResult(template, variables);
        errors.addAll(errorsOf(result));
        if (!errors.isEmpty()) {
            throw new UserDataTemplateException(errors);
        }
        return new Rendered(result.getOutput().getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * Every problem in a template, rendering it with sample values of the documented variables: syntax errors,
     * unknown tags and filters, rendering errors. Empty when it renders.
     */
    public List<TemplateError> check(String template) {
        try {
            render(template, sampleVariables());
            return List.of();
        } catch (UserDataTemplateException e) {
            return e.errors();
        }
    }

    /** Sample values for {@link #check}: the variable names a template may use, with harmless values. */
    static Map<String, Object> sampleVariables() {
        return Map.of("hostname", "vm-1", "instance_id", "i-0000000000000001", "ip", "192.0.2.10",
            "mac", "02:00:00:00:00:01", "profile", "", "meta", Map.of(), "interfaces", List.of(), "seq", 1);
    }

    private static List<TemplateError> errorsOf(RenderResult result) {
        List<TemplateError> errors = new ArrayList<>();
        for (com.hubspot.jinjava.interpret.TemplateError error : result.getErrors()) {
            boolean fatal = error.getSeverity() == com.hubspot.jinjava.interpret.TemplateError.ErrorType.FATAL;
            // "Unclosed token" is only a warning in Jinjava but leaves the code in the output as text.
            boolean syntax = error.getReason() == com.hubspot.jinjava.interpret.TemplateError.ErrorReason.SYNTAX_ERROR;
            if (fatal || syntax) {
                errors.add(new TemplateError(Math.max(1, error.getLineno()), Math.max(1, error.getStartPosition()),
                    error.getMessage()));
            }
        }
        return errors;
    }

    private List<TemplateError> unknownFilters(String template) {
        List<TemplateError> errors = new ArrayList<>();
        Matcher code = CODE.matcher(template);
        while (code.find()) {
            int group = code.group(1) != null ? 1 : 2;
            Matcher filter = FILTER.matcher(withoutStrings(code.group(group)));
            while (filter.find()) {
                String name = filter.group(1);
                if (jinjava.getGlobalContext().getFilter(name) == null) {
                    int offset = code.start(group) + filter.start(1);
                    errors.add(new TemplateError(lineOf(template, offset), columnOf(template, offset),
                        "unknown filter: " + name));
                }
            }
        }
        return errors;
    }

    /** Blanks string literals (same length) so a "|" inside quotes is not taken for a filter. */
    private static String withoutStrings(String code) {
        StringBuilder out = new StringBuilder(code.length());
        char quote = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
                out.append(' ');
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int columnOf(String text, int offset) {
        return offset - text.lastIndexOf('\n', offset - 1);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
