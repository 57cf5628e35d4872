package lab.metadata.userdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserDataRendererTest {

    private final UserDataRenderer renderer = new UserDataRenderer();
    private final Map<String, Object> variables = Map.of("hostname", "vm17", "instance_id", "i-17", "ip",
        "192.0.2.17", "mac", "02:00:00:00:00:17", "profile", "web", "meta", Map.of("role", "db"),
        "interfaces", List.of(Map.of("mac", "02:00:00:00:01:17", "address", "198.51.100.17")), "seq", 17);

    @Test
    void rendersTheDocumentedVariables() throws Exception {
        String template = "#cloud-config\nhostname: {{ hostname }}-{{ '%03d' | format(seq) }}\n"
            + "runcmd: [echo {{ meta.role | upper }} {{ interfaces[0].address }} {{ ip }} {{ mac }} {{ profile }}]\n";
        assertThat(renderer.render(template, variables).text()).isEqualTo(
            "#cloud-config\nhostname: vm17-017\nruncmd: [echo DB 198.51.100.17 192.0.2.17 02:00:00:00:00:17 web]\n");
    }

    @Test
    void syntaxErrorIsReportedWithLineAndColumn() {
        assertThat(renderer.check("#cloud-config\nruncmd:\n  {% if %}x{% endif %}\n"))
            .first().satisfies(e -> {
                assertThat(e.line()).isEqualTo(3);
                assertThat(e.column()).isEqualTo(3);
                assertThat(e.message()).contains("if");
            });
    }

    @Test
    void unknownTagIsAnError() {
        assertThat(renderer.check("a\n {% frobnicate %}")).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo(2);
            assertThat(e.message()).contains("frobnicate");
        });
    }

    @Test
    void unknownFilterIsAnErrorAtTheFilterName() {
        assertThat(renderer.check("#cloud-config\nhostname: {{ hostname | shout }}\n")).singleElement()
            .isEqualTo(new TemplateError(2, 25, "unknown filter: shout"));
    }

    @Test
    void pipeInsideAStringIsNotAFilter() {
        assertThat(renderer.check("{{ 'a | b' }} {{ hostname | lower }}")).isEmpty();
    }

    @Test
    void unclosedExpressionIsAnError() {
        assertThat(renderer.check("line\n{{ hostname ")).isNotEmpty();
    }

    @Test
    void renderFailsWithAllErrors() {
        assertThatThrownBy(() -> renderer.render("{{ x | nope }}\n{% nope %}", variables))
            .isInstanceOfSatisfying(UserDataTemplateException.class, e -> assertThat(e.errors()).hasSize(2))
            .hasMessageContaining("unknown filter: nope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{ meta.getClass() }}", "{{ meta.getClass().forName('java.lang.Runtime') }}",
        "{{ ''.getClass().getName() }}", "{{ hostname.getClass() }}"})
    void templatesCannotReachJavaClasses(String template) {
        assertThatThrownBy(() -> renderer.render(template, variables))
            .isInstanceOf(UserDataTemplateException.class);
    }

    @Test
    void outputIsCapped() {
        UserDataRenderer small = new UserDataRenderer(100);
        assertThatThrownBy(() -> small.render("{% for i in range(500) %}xy{% endfor %}", variables))
            .isInstanceOf(UserDataTemplateException.class).hasMessageContaining("100");
    }

    @Test
    void onlyJinjaTextIsATemplate() {
        assertThat(UserDataRenderer.isTemplate(bytes("#cloud-config\nhostname: {{ hostname }}\n"))).isTrue();
        assertThat(UserDataRenderer.isTemplate(bytes("#!/bin/sh\n{% if 1 %}x{% endif %}"))).isTrue();
        assertThat(UserDataRenderer.isTemplate(bytes("#!/bin/sh\necho ${#args[@]} ${HOME}\n"))).isFalse();
        assertThat(UserDataRenderer.isTemplate(bytes("## template: jinja\n#cloud-config\n{{ v1.region }}")))
            .isFalse();
        assertThat(UserDataRenderer.isTemplate(bytes("Content-Type: multipart/mixed; boundary=\"b\"\n{{ x }}")))
            .isFalse();
        assertThat(UserDataRenderer.isTemplate(bytes("MIME-Version: 1.0\n{{ x }}"))).isFalse();
        assertThat(UserDataRenderer.isTemplate(new byte[] {0x1f, (byte) 0x8b, '{', '{'})).isFalse();
        assertThat(UserDataRenderer.isTemplate(new byte[] {'{', '{', (byte) 0xff})).isFalse();
    }

    @Test
    void rawUserDataPassesThroughByteForByte() throws Exception {
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, '{', '{', (byte) 0xc3};
        assertThat(renderer.prepare(gzip, variables).bytes()).isEqualTo(gzip);
        byte[] script = bytes("#!/bin/sh\r\necho hi  \n");
        UserDataRenderer.Rendered rendered = renderer.prepare(script, variables);
        assertThat(rendered.bytes()).isEqualTo(script);
        assertThat(rendered.templated()).isFalse();
        byte[] cloudInitTemplate = bytes("## template: jinja\n#cloud-config\nfqdn: {{ v1.local_hostname }}\n");
        assertThat(renderer.prepare(cloudInitTemplate, variables).bytes()).isEqualTo(cloudInitTemplate);
        assertThat(renderer.prepare(bytes("host {{ hostname }}"), variables).text()).isEqualTo("host vm17");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
