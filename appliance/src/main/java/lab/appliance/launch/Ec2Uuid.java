package lab.appliance.launch;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * SMBIOS uuids that make cloud-init take a VM for an AWS instance: a valid UUID string whose first three hex
 * digits are {@code ec2} (cloud-init's identify_platform() checks the prefix and that the serial equals it).
 */
final class Ec2Uuid {

    // A fixed namespace text keeps the uuid of a MAC stable across releases and machines.
    private static final String NAMESPACE = "lab-appliance:ec2-aws:";

    private Ec2Uuid() {
    }

    /** The same uuid for the same MAC every time (name-based, RFC 4122 version 3), different for different MACs. */
    static String forMac(String mac) {
        return withEc2Prefix(UUID.nameUUIDFromBytes((NAMESPACE + mac.toLowerCase(Locale.ROOT))
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh uuid, for a profile: each VM needs its own. */
    static String random() {
        return withEc2Prefix(UUID.randomUUID());
    }

    // Replacing hex digits of time_low keeps the version and variant bits intact, so the result still parses.
    private static String withEc2Prefix(UUID uuid) {
        return "ec2" + uuid.toString().substring(3);
    }
}
