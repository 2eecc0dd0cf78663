package dev.socketconnector;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a leak. Registered for every test
 * class through JUnit's extension auto-detection; the surefire argLine sets the detector
 * to PARANOID.
 * <p>
 * The detector factory is replaced before any buffer class loads, so every leak report
 * lands here instead of only in a log line. After each class the check forces GCs and
 * allocates tracked buffers, which makes the detector poll its reference queue.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (int i = 0; i < 5 && LEAKS.isEmpty(); i++) {
            provokeReports();
        }
        if (!LEAKS.isEmpty()) {
            List<String> leaks = List.copyOf(LEAKS);
            LEAKS.clear();
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n----\n", leaks));
        }
    }

    /**
     * Collects garbage and allocates tracked buffers, so the detector reports leaked
     * buffers it has lost.
     */
    static void provokeReports() throws InterruptedException {
        System.gc();
        // gives reference processing a moment; the allocations below then report
        Thread.sleep(20);
        for (int j = 0; j < 64; j++) {
            ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16);
            pooled.release();
            ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
            unpooled.release();
            ByteBuf adaptive = io.netty.buffer.ByteBufAllocator.DEFAULT.ioBuffer(16);
            adaptive.release();
        }
    }

    /** Returns the leaks reported and not yet failed on. */
    public static List<String> leaks() {
        return List.copyOf(LEAKS);
    }

    /** Removes and returns the reported leaks (for the extension's own test). */
    static List<String> takeLeaks() {
        List<String> taken = List.copyOf(LEAKS);
        LEAKS.removeAll(taken);
        return taken;
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {

        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {

        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }

    }

}
