package lab.appliance.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.config.model.DeviceProfile;
import lab.config.model.ExtraInterface;
import lab.config.model.VmRecord;

/** The variables a VM's templates see: hostname, instance_id, ip, mac, profile, meta, interfaces, seq. */
final class TemplateVariables {

    private TemplateVariables() {
    }

    /** Profile meta first, the record's on top (top-level keys of the record win). */
    static Map<String, Object> meta(VmIdentity vm) {
        Map<String, Object> meta = new LinkedHashMap<>();
        vm.profile().map(DeviceProfile::meta).ifPresent(meta::putAll);
        vm.record().map(VmRecord::meta).ifPresent(meta::putAll);
        return meta;
    }

    static List<ExtraInterface> interfaces(VmIdentity vm) {
        return vm.record().map(VmRecord::interfaces).orElse(List.of());
    }

    /** Variables for hostname patterns, known before the VM has an address. */
    static Map<String, Object> beforeAddress(VmIdentity vm) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("instance_id", vm.instanceId());
        v.put("mac", vm.mac());
        v.put("profile", vm.profileName());
        v.put("meta", meta(vm));
        v.put("interfaces", interfaceMaps(vm));
        v.put("seq", vm.seq());
        return v;
    }

    /** Variables for user-data and vendor-data. */
    static Map<String, Object> forData(VmIdentity vm, String hostname, String ip) {
        Map<String, Object> v = beforeAddress(vm);
        v.put("hostname", hostname);
        v.put("ip", ip);
        return v;
    }

    private static List<Map<String, Object>> interfaceMaps(VmIdentity vm) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ExtraInterface nic : interfaces(vm)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mac", nic.mac());
            m.put("address", nic.address().getHostAddress());
            m.put("prefix", nic.prefixLength());
            m.put("gateway", nic.gateway().map(g -> g.getHostAddress()).orElse(""));
            list.add(m);
        }
        return list;
    }
}
