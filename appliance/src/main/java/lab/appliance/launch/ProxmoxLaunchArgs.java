package lab.appliance.launch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code launch-args --for proxmox}: lines for {@code /etc/pve/qemu-server/<vmid>.conf}. Proxmox's {@code smbios1}
 * has family, manufacturer, product, serial, sku, uuid and version; every field but uuid only takes
 * {@code [A-Za-z0-9+/]+={0,2}}, so other text goes base64-encoded with {@code base64=1} (qemu-server's
 * {@code $smbios1_fmt}).
 */
public final class ProxmoxLaunchArgs {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    private ProxmoxLaunchArgs() {
    }

    public static List<String> lines(GuestHints hints) {
        List<String> lines = new ArrayList<>();
        lines.add("# Proxmox keeps # lines of <vmid>.conf as the VM's notes: paste only the other lines.");
        if (!hints.smbios().isEmpty()) {
            lines.add(hints.smbios().containsKey("uuid")
                    ? "# The VM already has an smbios1 line (Proxmox writes one with uuid= at creation): replace it "
                            + "with this one; one smbios1 line per VM."
                    : "# The VM usually already has an smbios1 line with its uuid=: keep that uuid and add these "
                            + "fields to the same line; one smbios1 line per VM.");
            lines.add("smbios1: " + smbios1(hints.smbios()));
        }
        hints.kernelWords().ifPresent(words -> {
            lines.add("# Proxmox boots the image's own boot loader: put these words on the image's kernel command line "
                    + "(GRUB_CMDLINE_LINUX in /etc/default/grub; GRUB needs ; written as \\;): " + words);
            lines.add("# With direct kernel boot (args: -kernel ... -initrd ...) add to that args: line instead: "
                    + QemuLaunchArgs.appendOption(words));
        });
        return lines;
    }

    private static String smbios1(Map<String, String> fields) {
        boolean encode = fields.entrySet().stream()
                .anyMatch(f -> !f.getKey().equals("uuid") && !PLAIN.matcher(f.getValue()).matches());
        StringBuilder line = new StringBuilder(encode ? "base64=1" : "");
        for (Map.Entry<String, String> field : fields.entrySet()) {
            String value = field.getValue();
            if (encode && !field.getKey().equals("uuid")) {
                value = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            }
            if (!line.isEmpty()) {
                line.append(',');
            }
            line.append(field.getKey()).append('=').append(value);
        }
        return line.toString();
    }
}
