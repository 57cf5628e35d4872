package lab.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.appliance.netns.AdminApiCalls;
import lab.appliance.netns.JournalEntry;
import lab.appliance.netns.LeaseJournalFile;

/** The appliance's lease table read two ways: as its admin API lists it, and as its journal's lines leave it. */
final class HeldLeases {

    private HeldLeases() {
    }

    /** {@code GET /api/v1/leases}: every lease the running appliance holds in memory. */
    static List<HeldLease> fromAdminApi(AdminApiCalls admin) {
        List<HeldLease> leases = new ArrayList<>();
        for (JsonNode lease : admin.get("/api/v1/leases")) {
            leases.add(new HeldLease(lease.path("ip").asText(), lease.path("mac").asText(),
                    lease.path("state").asText()));
        }
        return leases;
    }

    /** The last line for each address in the journal file (later lines win, as the appliance replays it). */
    static List<HeldLease> fromJournal(LeaseJournalFile journal) {
        Map<String, JournalEntry> last = new LinkedHashMap<>();
        for (JournalEntry entry : journal.entries()) {
            last.put(entry.ip(), entry);
        }
        return last.values().stream().map(e -> new HeldLease(e.ip(), e.mac(), e.state())).toList();
    }
}
