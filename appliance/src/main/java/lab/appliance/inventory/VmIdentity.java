package lab.appliance.inventory;

import java.util.Optional;
import lab.config.model.DeviceProfile;
import lab.config.model.VmRecord;

/**
 * Who a MAC is, as far as the inventory knows without its address: its record if listed, its profile, its number
 * within the profile and its stable instance-id.
 *
 * @param mac        lowercase colon form
 * @param record     its entry under {@code vms:}, if listed
 * @param profile    the profile it was given (its record's, then a match rule, then the default), if any
 * @param seq        its number within the profile; 0 when it has no profile or the DHCP engine has not numbered it
 *                   yet
 * @param instanceId from its record, else derived from the MAC
 */
public record VmIdentity(String mac, Optional<VmRecord> record, Optional<DeviceProfile> profile, int seq,
                         String instanceId) {

    public String profileName() {
        return profile.map(DeviceProfile::name).orElse("");
    }
}
