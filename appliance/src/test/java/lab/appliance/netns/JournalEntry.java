package lab.appliance.netns;

/**
 * One change line of the appliance's {@code leases.journal}, reduced to what the namespace tests compare.
 *
 * @param line     1-based line number in the file (the header is line 1)
 * @param ip       the address
 * @param mac      lowercase colon form
 * @param state    {@code ACTIVE}, {@code RELEASED}, {@code DECLINED} or {@code EXPIRED}
 * @param hostname "" if none
 * @param profile  the device profile the appliance gave the MAC, "" if none
 */
public record JournalEntry(int line, String ip, String mac, String state, String hostname, String profile) {
}
