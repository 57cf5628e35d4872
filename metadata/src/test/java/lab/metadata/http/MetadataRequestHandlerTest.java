package lab.metadata.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which request targets the metadata handler looks up, and as which path. */
class MetadataRequestHandlerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/latest/meta-data/instance-id | /latest/meta-data/instance-id",
        "/2009-04-04/meta-data/public-keys/0/openssh-key | /2009-04-04/meta-data/public-keys/0/openssh-key",
        "/openstack/2018-08-27/meta_data.json | /openstack/2018-08-27/meta_data.json",
        "/nocloud/meta-data?x=%2F | /nocloud/meta-data",
        "/phone-home/i-waf-edge-1 | /phone-home/i-waf-edge-1",
        "/latest/meta-data/ | /latest/meta-data/",
        "http://169.254.169.254/latest/user-data | /latest/user-data",
        "/latest/meta-data/a%20b | /latest/meta-data/a b",
    })
    void pathsCloudInitSendsAreLookedUpAsSent(String target, String path) {
        assertThat(MetadataRequestHandler.pathOf(target)).contains(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/../b", "/a/%2e%2E/b", "/./a", "/a/.", "/a%2fb", "/a%5Cb", "/a\\b", "/a%00", "/a%0a",
        "/a%", "/a%zz", "*", "http://x", "relative/path"})
    void trickPathsAreUnusable(String target) {
        assertThat(MetadataRequestHandler.pathOf(target)).isEmpty();
    }

    @Test
    void loggedPathsCannotBreakALogLine() {
        assertThat(MetadataRequestHandler.printable("/a\u0000b")).isEqualTo("/a\\x00b");
        assertThat(MetadataRequestHandler.printable("/a\r\nX: y")).isEqualTo("/a\\x0d\\x0aX: y");
        assertThat(MetadataRequestHandler.printable("/plain/é")).isEqualTo("/plain/é");
    }
}
