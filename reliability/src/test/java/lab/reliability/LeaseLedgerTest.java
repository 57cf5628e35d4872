package lab.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseLedgerTest {

    private static final AckedLease A = new AckedLease("02:00:00:00:00:01", "10.20.1.1");
    private static final AckedLease B = new AckedLease("02:00:00:00:00:02", "10.20.1.2");

    @Test
    void everyPromisedLeaseHeldActiveIsFound() {
        LeaseLedger ledger = new LeaseLedger();
        ledger.record(List.of(A, B, A));

        LeaseAudit audit = ledger.audit(List.of(held(A, "active"), held(B, "ACTIVE"),
                new HeldLease("10.20.1.3", "02:00:00:00:00:03", "ACTIVE")));

        assertThat(ledger.size()).isEqualTo(2);
        assertThat(audit.acked()).isEqualTo(2);
        assertThat(audit.found()).isEqualTo(2);
        assertThat(audit.lost()).isEmpty();
        assertThat(audit.duplicates()).isEmpty();
    }

    @Test
    void aLeaseMissingOrNoLongerActiveIsLost() {
        LeaseLedger ledger = new LeaseLedger();
        ledger.record(List.of(A));
        ledger.record(List.of(B));

        LeaseAudit audit = ledger.audit(List.of(held(A, "EXPIRED")));

        assertThat(audit.found()).isZero();
        assertThat(audit.lost()).containsExactly(A, B);
    }

    @Test
    void anAddressActiveForAnotherMacIsLost() {
        LeaseLedger ledger = new LeaseLedger();
        ledger.record(List.of(A));

        LeaseAudit audit = ledger.audit(List.of(new HeldLease(A.ip(), B.mac(), "ACTIVE")));

        assertThat(audit.lost()).containsExactly(A);
    }

    @Test
    void anAddressAckedToTwoMacsIsADuplicateAndTheFirstLeaseIsLost() {
        LeaseLedger ledger = new LeaseLedger();
        AckedLease again = new AckedLease(B.mac(), A.ip());
        ledger.record(List.of(A));
        ledger.record(List.of(again));

        LeaseAudit audit = ledger.audit(List.of(held(again, "ACTIVE")));

        assertThat(audit.duplicates()).containsExactly(A.ip());
        assertThat(audit.lost()).containsExactly(A);
    }

    @Test
    void anAddressInTwoActiveLeasesIsADuplicate() {
        LeaseLedger ledger = new LeaseLedger();
        ledger.record(List.of(A));

        LeaseAudit audit = ledger.audit(List.of(held(A, "ACTIVE"), new HeldLease(A.ip(), B.mac(), "ACTIVE")));

        assertThat(audit.found()).isEqualTo(1);
        assertThat(audit.duplicates()).containsExactly(A.ip());
    }

    @Test
    void aMacAckedASecondAddressLosesItsFirst() {
        LeaseLedger ledger = new LeaseLedger();
        AckedLease moved = new AckedLease(A.mac(), B.ip());
        ledger.record(List.of(A, moved));

        LeaseAudit audit = ledger.audit(List.of(held(moved, "ACTIVE")));

        assertThat(audit.lost()).containsExactly(A);
        assertThat(audit.duplicates()).isEmpty();
    }

    private static HeldLease held(AckedLease lease, String state) {
        return new HeldLease(lease.ip(), lease.mac(), state);
    }
}
