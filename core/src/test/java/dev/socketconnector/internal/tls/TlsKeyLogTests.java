package dev.socketconnector.internal.tls;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key log keeps the secrets of the labels a member uses, for registered connections
 * only, and zeroes every line it is handed.
 */
class TlsKeyLogTests {

    private static final String RANDOM = "00".repeat(32);

    private static final String SECRET = "0123456789abcdef".repeat(4);

    private static byte[] line(String label) {
        return (label + " " + RANDOM + " " + SECRET + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean zeroed(byte[] line) {
        for (byte b : line) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code test} with secrets registered for the connection {@code ssl}, then
     * unregisters and wipes them.
     */
    private static void withRegistered(long ssl, BiConsumer<Long, TlsSecrets> test) {
        TlsSecrets secrets = new TlsSecrets();
        TlsKeyLog.register(ssl, secrets);
        try {
            test.accept(ssl, secrets);
        }
        finally {
            TlsKeyLog.unregister(ssl, secrets);
            secrets.wipe();
        }
    }

    @Test
    void keepsTheLabelsMembersUseAndDropsTheOthers() {
        withRegistered(0x7e57_0001L, (ssl, secrets) -> {
            for (String label : TlsSecrets.KEPT) {
                byte[] line = line(label);
                TlsKeyLog.instance().handle(ssl, line);
                assertThat(zeroed(line)).as(label + " line zeroed").isTrue();
                assertThat(secrets.get(label)).as(label).isEqualTo(HexFormat.of().parseHex(SECRET));
            }
            for (String label : new String[] { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                    "SERVER_TRAFFIC_SECRET_01", "SERVER_TRAFFIC_SECRET_", "EXPORTER_SECRET_X" }) {
                byte[] line = line(label);
                TlsKeyLog.instance().handle(ssl, line);
                assertThat(zeroed(line)).as(label + " line zeroed").isTrue();
                assertThat(secrets.get(label)).as(label).isNull();
            }
            assertThat(secrets.get(TlsSecrets.SERVER_TRAFFIC)).isEqualTo(HexFormat.of().parseHex(SECRET));
        });
    }

    @Test
    void decodesUpperAndLowerCaseHexAndRefusesOtherDigits() {
        withRegistered(0x7e57_0003L, (ssl, secrets) -> {
            byte[] upper = (TlsSecrets.EXPORTER + " " + RANDOM + " 09AFaf\n").getBytes(StandardCharsets.US_ASCII);
            TlsKeyLog.instance().handle(ssl, upper);
            assertThat(secrets.get(TlsSecrets.EXPORTER)).containsExactly(0x09, 0xaf, 0xaf);
            for (String bad : new String[] { "0g", "0:", "/0", "0G", "0@", "0`", "\u00e90" }) {
                byte[] line = (TlsSecrets.SERVER_TRAFFIC + " " + RANDOM + " " + bad + "\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
                TlsKeyLog.instance().handle(ssl, line);
                assertThat(secrets.get(TlsSecrets.SERVER_TRAFFIC)).as(bad).isNull();
            }
        });
    }

    @Test
    void dropsLinesOfUnregisteredConnections() {
        byte[] line = line(TlsSecrets.EXPORTER);
        TlsKeyLog.instance().handle(0x7e57_0002L, line);
        assertThat(zeroed(line)).isTrue();
    }

}
