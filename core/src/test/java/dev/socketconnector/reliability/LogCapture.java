package dev.socketconnector.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/**
 * Captures what the connector and Netty log while a test runs. Netty logs through
 * {@link InternalLoggerFactory}, which in the core tests (no SLF4J or Log4j on the class
 * path) is Java's logging; the capture lowers the {@code dev.socketconnector} and
 * {@code io.netty} levels to ALL so debug output is produced and checked too, and
 * restores them on {@link #close()}.
 */
public final class LogCapture implements AutoCloseable {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private final Logger root = Logger.getLogger("");

    private final List<Logger> loggers = new ArrayList<>();

    private final List<Level> levels = new ArrayList<>();

    private final Handler handler = new Handler() {

        @Override
        public void publish(LogRecord record) {
            LogCapture.this.records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Starts capturing; fails when Netty does not log through Java's logging in this JVM.
     */
    public LogCapture() {
        if (!(InternalLoggerFactory.getDefaultFactory() instanceof JdkLoggerFactory)) {
            throw new IllegalStateException("Netty logs through " + InternalLoggerFactory.getDefaultFactory()
                    + ", not Java's logging: the capture would see nothing");
        }
        this.handler.setLevel(Level.ALL);
        this.root.addHandler(this.handler);
        for (String name : new String[] { "dev.socketconnector", "io.netty" }) {
            Logger logger = Logger.getLogger(name);
            this.loggers.add(logger);
            this.levels.add(logger.getLevel());
            logger.setLevel(Level.ALL);
        }
    }

    /** Returns the captured records. */
    public List<LogRecord> records() {
        return List.copyOf(this.records);
    }

    /**
     * Returns the WARNING (or more severe) records whose logger starts with
     * {@code prefix}.
     */
    public List<LogRecord> warnings(String prefix) {
        return this.records.stream()
            .filter((r) -> r.getLevel().intValue() >= Level.WARNING.intValue())
            .filter((r) -> r.getLoggerName() != null && r.getLoggerName().startsWith(prefix))
            .toList();
    }

    /**
     * Returns every captured record as text: logger, level, message, parameters and
     * thrown stack trace.
     */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (LogRecord record : this.records) {
            text.append(record.getLoggerName())
                .append(' ')
                .append(record.getLevel())
                .append(' ')
                .append(record.getMessage())
                .append('\n');
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    text.append("  param: ").append(parameter).append('\n');
                }
            }
            if (record.getThrown() != null) {
                text.append(stackTrace(record.getThrown()));
            }
        }
        return text.toString();
    }

    /** Returns a throwable's full stack trace text (causes and suppressed included). */
    public static String stackTrace(Throwable thrown) {
        StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Override
    public void close() {
        this.root.removeHandler(this.handler);
        for (int i = 0; i < this.loggers.size(); i++) {
            this.loggers.get(i).setLevel(this.levels.get(i));
        }
    }

}
