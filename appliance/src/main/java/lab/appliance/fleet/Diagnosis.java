package lab.appliance.fleet;

import java.util.Locale;
import java.util.Objects;

/**
 * What most likely went wrong in a VM's current boot, as {@link BootDiagnosis} judged it.
 *
 * @param code which rule matched
 * @param text one sentence for an operator: what was seen and what to do
 */
public record Diagnosis(Code code, String text) {

    /** The rules, in the order they are tried; the admin API, CLI and page show {@link #label()}. */
    public enum Code {
        FAILED, NO_DATASOURCE, METADATA_ERRORS, WRONG_FLAVOUR, NO_FINISH_REPORT;

        /** {@code failed}, {@code no-datasource}, {@code metadata-errors}, {@code wrong-flavour}, … */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Diagnosis {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(text, "text");
    }
}
