package lab.dhcp.engine;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the exchange tests: a fresh {@link EngineFixture} on its own journal directory per test. */
abstract class EngineExchangeTest {

    @TempDir
    Path dir;
    EngineFixture fx;

    @BeforeEach
    void startEngine() throws Exception {
        fx = new EngineFixture(dir);
    }

    @AfterEach
    void closeEngine() throws Exception {
        fx.close();
    }
}
