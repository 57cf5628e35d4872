package lab.appliance.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code launch-args --for libvirt}: the domain XML elements ({@code <sysinfo type='smbios'>}, and in {@code <os>}
 * {@code <smbios mode='sysinfo'/>} and {@code <cmdline>}); {@code #} lines are for humans, not XML.
 */
public final class LibvirtLaunchArgs {

    private LibvirtLaunchArgs() {
    }

    public static List<String> lines(GuestHints hints) {
        List<String> lines = new ArrayList<>();
        boolean sysinfo = !hints.smbios().isEmpty();
        lines.add("# Merge into the domain XML (virsh edit): add to its existing <os> element and put <sysinfo> "
                + "beside <os>; the lines starting with # are not XML.");
        if (hints.kernelWords().isPresent()) {
            lines.add("# <cmdline> works with direct kernel boot (<kernel> in <os>) only; booting the image's own boot "
                    + "loader, put these words on its kernel command line instead (GRUB_CMDLINE_LINUX in "
                    + "/etc/default/grub; GRUB needs ; written as \\;): " + hints.kernelWords().get());
        }
        String uuid = hints.smbios().get("uuid");
        if (uuid != null) {
            lines.add("# libvirt wants a sysinfo uuid to equal the domain's <uuid>: replace the domain's <uuid> with "
                    + "this one.");
            lines.add("<uuid>" + escape(uuid) + "</uuid>");
        }
        lines.add("<os>");
        if (sysinfo) {
            lines.add("  <smbios mode='sysinfo'/>");
        }
        hints.kernelWords().ifPresent(words -> lines.add("  <cmdline>" + escape(words) + "</cmdline>"));
        lines.add("</os>");
        if (sysinfo) {
            lines.add("<sysinfo type='smbios'>");
            lines.add("  <system>");
            for (Map.Entry<String, String> field : hints.smbios().entrySet()) {
                lines.add("    <entry name='" + escape(field.getKey()) + "'>" + escape(field.getValue()) + "</entry>");
            }
            lines.add("  </system>");
            lines.add("</sysinfo>");
        }
        return lines;
    }

    /** XML text and attribute escaping: the five characters that can end or confuse either. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\'' -> out.append("&apos;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
