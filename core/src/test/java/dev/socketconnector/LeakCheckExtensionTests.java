package dev.socketconnector;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the leak check is wired: a buffer leaked on purpose is reported to the extension
 * (and taken back, so this class itself passes).
 */
class LeakCheckExtensionTests {

    @Test
    void deliberateLeakIsReported() throws Exception {
        leakOneBuffer();
        List<String> leaks = List.of();
        for (int i = 0; i < 50 && leaks.isEmpty(); i++) {
            LeakCheckExtension.provokeReports();
            leaks = LeakCheckExtension.takeLeaks();
        }
        assertThat(leaks).isNotEmpty();
        assertThat(leaks.get(0)).contains("LEAK");
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(128);
        leaked.writeLong(42);
    }

}
