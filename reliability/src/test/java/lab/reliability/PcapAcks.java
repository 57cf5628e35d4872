package lab.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The DHCPACKs in a pcap file, read by tshark's DHCP dissector (message type option 53 = 5, {@code chaddr},
 * {@code yiaddr}) rather than by a parser of our own: it copes with whatever options and padding the appliance sends.
 */
final class PcapAcks {

    private static final long TIMEOUT_SECONDS = 120;

    private PcapAcks() {
    }

    /** Every DHCPACK in {@code pcap}, in capture order; tshark's fields go to a .tsv beside it, warnings to .err. */
    static List<AckedLease> read(Path pcap) throws IOException {
        Path fields = pcap.resolveSibling(pcap.getFileName() + ".acks.tsv");
        Path errors = pcap.resolveSibling(pcap.getFileName() + ".tshark.err");
        Process tshark = new ProcessBuilder("tshark", "-r", pcap.toString(), "-n", "-Y", "dhcp.option.dhcp == 5",
                "-T", "fields", "-E", "separator=/t", "-e", "dhcp.hw.mac_addr", "-e", "dhcp.ip.your")
                .redirectOutput(fields.toFile())
                .redirectError(errors.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            if (!tshark.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                tshark.destroyForcibly();
                throw new IOException("tshark did not read " + pcap + " within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            tshark.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading " + pcap + " with tshark", e);
        }
        if (tshark.exitValue() != 0) {
            throw new IOException("tshark exited " + tshark.exitValue() + " reading " + pcap + ": "
                    + Files.readString(errors, StandardCharsets.UTF_8));
        }
        List<AckedLease> acks = new ArrayList<>();
        for (String line : Files.readAllLines(fields, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (columns.length != 2 || columns[0].isEmpty() || columns[1].isEmpty()) {
                throw new IOException("tshark gave an ACK without chaddr and yiaddr in " + fields + ": " + line);
            }
            acks.add(new AckedLease(columns[0].toLowerCase(Locale.ROOT), columns[1]));
        }
        return acks;
    }
}
