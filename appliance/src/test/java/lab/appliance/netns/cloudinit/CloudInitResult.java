package lab.appliance.netns.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of a real cloud-init datasource obtained, as crawl.py reported it.
 *
 * @param datasource    the datasource that ran
 * @param success       whether {@code get_data()} returned true (cloud-init would use this datasource)
 * @param instanceId    {@code get_instance_id()}, if it succeeded
 * @param hostname      {@code get_hostname()} from the metadata only (domain removed, as cloud-init does)
 * @param publicKeys    {@code get_public_ssh_keys()}
 * @param userData      user-data as text ("" if empty), if any
 * @param vendorData    vendor-data as text, if any (Ec2 and CloudStack have none in 22.4)
 * @param networkConfig the network config cloud-init derived (missing node if none)
 * @param networkUpdateEvents the boot events on which cloud-init would re-read the metadata and re-render the
 *                      network ({@code boot-new-instance} always; {@code boot} too when Ec2 takes the VM for EC2-Classic)
 * @param metadata      the datasource's metadata dictionary (missing node if none)
 * @param password      the CloudStack password, if the password server gave one
 * @param error         the exception cloud-init raised past {@code get_data()}, if any
 * @param log           the file holding cloud-init's debug log of the run
 */
public record CloudInitResult(Datasource datasource, boolean success, Optional<String> instanceId,
                              Optional<String> hostname, List<String> publicKeys, Optional<String> userData,
                              Optional<String> vendorData, JsonNode networkConfig,
                              List<String> networkUpdateEvents, JsonNode metadata,
                              Optional<String> password, Optional<String> error, Path log) {

    public CloudInitResult {
        Objects.requireNonNull(datasource, "datasource");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(hostname, "hostname");
        publicKeys = List.copyOf(publicKeys);
        Objects.requireNonNull(userData, "userData");
        Objects.requireNonNull(vendorData, "vendorData");
        networkConfig = networkConfig == null ? MissingNode.getInstance() : networkConfig;
        networkUpdateEvents = List.copyOf(networkUpdateEvents);
        metadata = metadata == null ? MissingNode.getInstance() : metadata;
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(log, "log");
    }
}
