package lab.metadata.cloudstack;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PasswordLedger} that forgets everything on restart: for tests and for labs without a state dir. */
public final class InMemoryPasswordLedger implements PasswordLedger {

    private final Set<String> saved = ConcurrentHashMap.newKeySet();

    @Override
    public boolean isSaved(String instanceId) {
        return saved.contains(instanceId);
    }

    @Override
    public void markSaved(String instanceId) {
        saved.add(instanceId);
    }
}
