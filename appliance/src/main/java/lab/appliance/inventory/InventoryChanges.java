package lab.appliance.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * VM records changed through the admin API, applied over the config's {@code vms}: records put (by MAC, as the
 * API received them, keys as in YAML) and config records removed. A put replaces a config record of the same MAC.
 *
 * @param put     MAC → the record as a JSON-like tree of maps, lists and scalars, in the order first put
 * @param removed MACs of config records taken away
 */
public record InventoryChanges(Map<String, Map<String, Object>> put, Set<String> removed) {

    public static final InventoryChanges NONE = new InventoryChanges(Map.of(), Set.of());

    public InventoryChanges {
        put = Collections.unmodifiableMap(new LinkedHashMap<>(put));
        removed = Collections.unmodifiableSet(new LinkedHashSet<>(removed));
    }

    /** These changes with {@code mac}'s record replaced by {@code record}. */
    public InventoryChanges withPut(String mac, Map<String, Object> record) {
        Map<String, Map<String, Object>> puts = new LinkedHashMap<>(put);
        puts.put(mac, record);
        Set<String> gone = new LinkedHashSet<>(removed);
        gone.remove(mac);
        return new InventoryChanges(puts, gone);
    }

    /** These changes with {@code mac} gone, whether the config or the API defined it. */
    public InventoryChanges withRemoved(String mac) {
        Map<String, Map<String, Object>> puts = new LinkedHashMap<>(put);
        puts.remove(mac);
        Set<String> gone = new LinkedHashSet<>(removed);
        gone.add(mac);
        return new InventoryChanges(puts, gone);
    }
}
