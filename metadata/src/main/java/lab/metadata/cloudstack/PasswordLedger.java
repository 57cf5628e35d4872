package lab.metadata.cloudstack;

/**
 * Which instances have acknowledged their CloudStack password ({@code saved_password}). The appliance persists it,
 * so a VM that saved its password is not handed it again after a restart; it resets an entry when the password
 * changes. Called off the event loop, so an implementation may write to disk.
 */
public interface PasswordLedger {

    boolean isSaved(String instanceId);

    void markSaved(String instanceId);
}
