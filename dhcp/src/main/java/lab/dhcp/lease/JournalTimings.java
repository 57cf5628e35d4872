package lab.dhcp.lease;

import java.time.Duration;

/**
 * Hears how long each durable append of the lease journal took (write plus force), for latency metrics. Called on
 * the journal's writer thread after every successful append, so an implementation must only record and return.
 */
@FunctionalInterface
public interface JournalTimings {

    /** Records nothing. */
    JournalTimings NONE = (records, took) -> { };

    /**
     * @param records how many lease records the append carried (group commit puts several under one force)
     * @param took    from the start of the write to the end of the force
     */
    void appended(int records, Duration took);
}
