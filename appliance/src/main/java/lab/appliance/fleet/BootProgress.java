package lab.appliance.fleet;

import java.util.List;

/**
 * Derives a boot's phase from its events, in order. A lease (ACK) makes it {@code leased}; the first metadata,
 * request (answered or failed), user-data and phone-home steps move it forward, never back (renewals and re-crawls do not undo progress); a NAK or
 * RELEASE before the boot ended means it has no lease again. {@code finished} comes from the webhook's final-stage
 * finish or from phone_home (cloud-init runs it in the final stage, after the user's scripts); {@code failed} from a
 * FAIL finish or a DECLINE. Finished and failed stay until the next boot; the last of them wins.
 */
final class BootProgress {

    private BootProgress() {
    }

    static BootPhase phaseOf(List<BootEvent> events) {
        BootPhase phase = BootPhase.NO_LEASE;
        for (BootEvent event : events) {
            phase = next(phase, event.kind());
        }
        return phase;
    }

    static BootPhase next(BootPhase phase, BootEvent.Kind kind) {
        boolean ended = phase == BootPhase.FINISHED || phase == BootPhase.FAILED;
        return switch (kind) {
            case FINISHED, PHONE_HOME -> kind == BootEvent.Kind.PHONE_HOME && phase == BootPhase.FAILED
                ? BootPhase.FAILED : BootPhase.FINISHED;
            case FAILED, DECLINE -> BootPhase.FAILED;
            case ACK -> ended ? phase : atLeast(phase, BootPhase.LEASED);
            case NAK, RELEASE -> ended ? phase : BootPhase.NO_LEASE;
            case METADATA, METADATA_ERROR, PASSWORD_FETCHED, PASSWORD_SAVED -> ended ? phase : atLeast(phase, BootPhase.METADATA);
            case USER_DATA -> ended ? phase : atLeast(phase, BootPhase.USER_DATA);
            case DISCOVER, OFFER, REQUEST, REPORT -> phase;
        };
    }

    private static BootPhase atLeast(BootPhase phase, BootPhase floor) {
        return phase.ordinal() >= floor.ordinal() ? phase : floor;
    }
}
