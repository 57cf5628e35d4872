package lab.metadata.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelNeighbourTableTest {

    @TempDir
    Path dir;

    /** The layout of /proc/net/arp as Linux 6.1 writes it. */
    private static final String TABLE = """
        IP address       HW type     Flags       HW address            Mask     Device
        10.20.0.17       0x1         0x2         52:54:00:AB:00:11     *        lab0
        10.20.0.18       0x1         0x0         00:00:00:00:00:00     *        lab0
        10.20.0.190      0x1         0x6         52:54:00:ab:00:be     *        lab0
        """;

    private KernelNeighbourTable table() throws IOException {
        Path file = dir.resolve("arp");
        Files.writeString(file, TABLE);
        return new KernelNeighbourTable(file);
    }

    @Test
    void completeEntryGivesItsMacInLowerCase() throws IOException {
        assertThat(table().macOf(InetAddress.getByName("10.20.0.17"))).contains("52:54:00:ab:00:11");
        assertThat(table().macOf(InetAddress.getByName("10.20.0.190"))).contains("52:54:00:ab:00:be");
    }

    @Test
    void incompleteOrMissingEntryAndPrefixOfAnotherAddressGiveNothing() throws IOException {
        KernelNeighbourTable table = table();
        assertThat(table.macOf(InetAddress.getByName("10.20.0.18"))).isEmpty();
        assertThat(table.macOf(InetAddress.getByName("10.20.0.1"))).as("10.20.0.1 is a prefix of .17 and .190")
            .isEmpty();
        assertThat(table.macOf(InetAddress.getByName("::1"))).isEmpty();
    }

    @Test
    void unreadableTableChecksNobody() {
        assertThat(new KernelNeighbourTable(dir.resolve("missing")).macOf(InetAddress.getLoopbackAddress()))
            .isEmpty();
    }

    @Test
    void thisProcesssTableReadsWithoutError() {
        // On any Linux host: loopback never has a neighbour entry.
        assertThat(new KernelNeighbourTable().macOf(InetAddress.getLoopbackAddress())).isEmpty();
    }
}
