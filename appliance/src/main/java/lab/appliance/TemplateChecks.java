package lab.appliance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lab.config.ConfigProblem;
import lab.config.model.ApplianceConfig;
import lab.config.model.DeviceProfile;
import lab.config.model.TemplateText;
import lab.config.model.VmRecord;
import lab.metadata.userdata.TemplateError;
import lab.metadata.userdata.UserDataRenderer;

/**
 * Renders every template of the config once with sample values, so that a template error is a config problem with
 * file, line and column, found by check-config and at start, never when a VM boots.
 */
public final class TemplateChecks {

    private final UserDataRenderer renderer;

    public TemplateChecks(UserDataRenderer renderer) {
        this.renderer = renderer;
    }

    public List<ConfigProblem> check(ApplianceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (DeviceProfile profile : config.profiles()) {
            check(profile.hostname(), true, problems);
            check(profile.userData(), false, problems);
            check(profile.vendorData(), false, problems);
        }
        for (VmRecord vm : config.vms()) {
            check(vm.userData(), false, problems);
            check(vm.vendorData(), false, problems);
        }
        return problems;
    }

    /** User-data that is not a template (scripts, MIME, cloud-init's own Jinja) is served as is and not checked. */
    private void check(Optional<TemplateText> template, boolean alwaysTemplate, List<ConfigProblem> problems) {
        template.filter(t -> alwaysTemplate || UserDataRenderer.isTemplate(t.text().getBytes(StandardCharsets.UTF_8)))
                .ifPresent(t -> {
            for (TemplateError error : renderer.check(t.text())) {
                problems.add(t.problemAt(error.line(), error.column(), t.path(),
                        "template error: " + error.message() + " (expected a Jinja template)"));
            }
        });
    }
}
