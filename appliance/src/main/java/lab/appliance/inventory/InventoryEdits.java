package lab.appliance.inventory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import lab.config.ConfigException;
import lab.config.ConfigProblem;
import lab.config.model.ApplianceConfig;
import lab.config.model.VmRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to the VM records while the appliance runs (admin API edits, config reloads): each is checked by loading
 * the edited config, then saved to the state directory, then applied to the {@link LiveInventory}. One at a time;
 * a change that fails a check or cannot be saved changes nothing.
 */
public final class InventoryEdits {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryEdits.class);

    /** Why an edit was refused: the config problems, paths relative to the edited record. */
    public static final class RejectedEditException extends Exception {

        private final List<ConfigProblem> problems;

        public RejectedEditException(List<ConfigProblem> problems) {
            super(problems.size() + " problem(s), first: " + problems.get(0));
            this.problems = List.copyOf(problems);
        }

        public List<ConfigProblem> problems() {
            return problems;
        }
    }

    private final InventoryChangesFile file;
    private final LiveInventory live;
    private EditedConfig base;
    private InventoryChanges changes;

    /**
     * @param base    the config file's text and what it loaded into
     * @param changes the saved changes, already applied to {@code live}
     */
    public InventoryEdits(EditedConfig base, InventoryChanges changes, InventoryChangesFile file, LiveInventory live) {
        this.base = Objects.requireNonNull(base, "base");
        this.changes = Objects.requireNonNull(changes, "changes");
        this.file = Objects.requireNonNull(file, "file");
        this.live = Objects.requireNonNull(live, "live");
    }

    /** The VM records now answered, config and API ones merged. */
    public synchronized List<VmRecord> vms() {
        return live.config().vms();
    }

    /** The config now answered. */
    public synchronized ApplianceConfig config() {
        return live.config();
    }

    /**
     * Puts {@code record} (keys as in the YAML {@code vms} items) for {@code mac}; returns the record as bound.
     *
     * @throws RejectedEditException the edited config has problems (nothing changed)
     */
    public synchronized VmRecord put(String mac, Map<String, Object> record) throws RejectedEditException, IOException {
        InventoryChanges next = changes.withPut(mac, record);
        ApplianceConfig config;
        try {
            config = base.apply(next);
        } catch (ConfigException e) {
            String path = base.pathOf(mac, next).orElseThrow();
            throw new RejectedEditException(EditedConfig.relativeTo(path, e.problems()));
        }
        commit(next, config);
        LOG.info("vm record put mac={}", mac);
        return config.vms().stream().filter(vm -> vm.mac().equals(mac)).findFirst().orElseThrow();
    }

    /** Removes {@code mac}'s record; false if there is none. */
    public synchronized boolean remove(String mac) throws RejectedEditException, IOException {
        if (live.config().vms().stream().noneMatch(vm -> vm.mac().equals(mac))) {
            return false;
        }
        InventoryChanges next = changes.withRemoved(mac);
        try {
            commit(next, base.apply(next));
        } catch (ConfigException e) {
            throw new RejectedEditException(e.problems());
        }
        LOG.info("vm record removed mac={}", mac);
        return true;
    }

    /**
     * Replaces the config file underneath the saved changes (a reload) and applies the result.
     *
     * @throws ConfigException the new file with the changes has problems (the running config stays)
     */
    public synchronized ApplianceConfig rebase(EditedConfig newBase) throws ConfigException {
        ApplianceConfig config = newBase.apply(changes);
        base = newBase;
        live.apply(config);
        return config;
    }

    private void commit(InventoryChanges next, ApplianceConfig config) throws IOException {
        file.save(next);
        changes = next;
        live.apply(config);
    }
}
