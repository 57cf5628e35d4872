package lab.appliance.inventory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import lab.config.model.VmRecord;

/**
 * SHA-256 of each VM's CloudStack password (salted with its instance-id), so the ledger on disk can tell "this
 * password was saved" without holding the password.
 */
public final class PasswordDigests implements FilePasswordLedger.PasswordDigests {

    private final Map<String, String> byInstanceId = new HashMap<>();

    public PasswordDigests(List<VmRecord> vms) {
        for (VmRecord vm : vms) {
            String instanceId = vm.instanceId().orElseGet(() -> Inventory.derivedInstanceId(vm.mac()));
            vm.password().ifPresent(p -> byInstanceId.put(instanceId, sha256(instanceId + "\n" + p)));
        }
    }

    @Override
    public String of(String instanceId) {
        return byInstanceId.getOrDefault(instanceId, "");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
