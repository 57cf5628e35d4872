package lab.reliability;

import java.nio.file.Path;
import lab.appliance.netns.BackgroundProcess;

/** A file system under the appliance's state dir that a test can make fail while the appliance serves, then fix. */
interface StateDisk extends AutoCloseable {

    /** The state dir on it, as the test host sees it before the failure. */
    Path dir();

    /** What fails: "full" or "read-only", for messages. */
    String failure();

    /** Makes every write that needs new space or any write at all fail, as a full or read-only disk does. */
    void fail(BackgroundProcess appliance);

    /** Makes it writable again, as an operator would, without touching the appliance. */
    void repair(BackgroundProcess appliance);

    /** Where the state dir is to be read while {@code appliance} runs (its own mount namespace may differ). */
    Path viewedBy(BackgroundProcess appliance);

    /** After the appliance's exit: the state dir mounted on the host again for the next start, if it has to be. */
    void remountForRestart();

    @Override
    void close();
}
