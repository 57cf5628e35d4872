package lab.appliance.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.config.model.Datasource;
import org.junit.jupiter.api.Test;

/** How each hypervisor's spelling quotes and escapes the hints. */
class LaunchArgsTest {

    @Test
    void qemuValuesDoubleCommasAndXmlIsEscaped() {
        assertThat(QemuLaunchArgs.shellQuote("it's a,b")).isEqualTo("'it'\\''s a,b'");
        assertThat(QemuLaunchArgs.shellQuote("ci.ds=Ec2")).isEqualTo("ci.ds=Ec2");
        assertThat(LibvirtLaunchArgs.escape("a&b<c>'d\"")).isEqualTo("a&amp;b&lt;c&gt;&apos;d&quot;");
        GuestHints hints = new GuestHints(Datasource.CLOUDSTACK,
                Map.of("product", "A,B"), Optional.empty(), false, List.of());
        assertThat(QemuLaunchArgs.lines(hints)).containsExactly("-smbios type=1,product=A,,B");
    }
}
