package lab.dhcp.lease;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lease journal held to the {@link LeaseStore} contract. Failures are injected through its channel opener as
 * failed forces: the line is then whole in the file, the hardest case to keep from coming back (torn writes are
 * covered in {@link LeaseJournalTest}).
 */
class LeaseJournalContractTest extends LeaseStoreContractTest {

    @Override
    protected LeaseStore freshStore(Path dir) {
        return new LeaseJournal(dir);
    }

    @Override
    protected LeaseStore reopenedStore(Path dir) {
        return new LeaseJournal(dir);
    }

    @Override
    protected LeaseStore freshStoreFailingWhile(Path dir, AtomicBoolean failing) {
        return new LeaseJournal(dir, FailingFileChannel.forceFailingOpener(failing));
    }

    @Override
    protected String nameInErrors(Path dir) {
        return dir.resolve(LeaseJournal.JOURNAL_NAME).toString();
    }
}
