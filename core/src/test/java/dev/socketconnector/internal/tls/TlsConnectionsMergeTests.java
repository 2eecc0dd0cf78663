package dev.socketconnector.internal.tls;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last connect's merged options are reused only for equal options and the same
 * defaults instance: other options or another defaults instance are merged again and find
 * their own context.
 */
class TlsConnectionsMergeTests {

    private static TlsConnection connection(TlsConnections connections, TlsOptions options) {
        return connections.newConnection(options, "localhost", 443, ByteBufAllocator.DEFAULT);
    }

    @Test
    void sameOptionsShareOneContextAndOtherOptionsGetTheirOwnInEitherOrder() {
        TlsConnections connections = new TlsConnections(() -> TlsOptions.DEFAULTS);
        TlsOptions first = TlsOptions.builder().provider(TlsProvider.JDK).serverName("one.test").build();
        TlsOptions second = TlsOptions.builder().provider(TlsProvider.JDK).serverName("two.test").build();
        connection(connections, first);
        connection(connections, first);
        List<TlsConnections.Context> afterFirst = connections.contexts();
        assertThat(afterFirst).hasSize(1);
        connection(connections, second);
        List<TlsConnections.Context> afterSecond = connections.contexts();
        assertThat(afterSecond).hasSize(2);
        connection(connections, first);
        // least recently used first: the first options found their own context again
        assertThat(connections.contexts()).containsExactly(afterSecond.get(1), afterFirst.get(0));
        connection(connections, second);
        assertThat(connections.contexts()).containsExactly(afterFirst.get(0), afterSecond.get(1));
    }

    @Test
    void equalOptionsBuiltForEachConnectReuseTheLastMerge() {
        TlsConnections connections = new TlsConnections(() -> TlsOptions.DEFAULTS);
        TlsConnection first = connection(connections,
                TlsOptions.builder().provider(TlsProvider.JDK).rejectUnauthorized(false).build());
        TlsConnection second = connection(connections,
                TlsOptions.builder().provider(TlsProvider.JDK).rejectUnauthorized(false).build());
        assertThat(connections.merges()).isEqualTo(1);
        assertThat(connections.contexts()).hasSize(1);
        assertThat(first.rejectUnauthorized()).isFalse();
        assertThat(second.rejectUnauthorized()).isFalse();
        // an options instance that differs in one field is merged again
        TlsConnection third = connection(connections,
                TlsOptions.builder().provider(TlsProvider.JDK).rejectUnauthorized(true).build());
        assertThat(connections.merges()).isEqualTo(2);
        assertThat(connections.contexts()).hasSize(2);
        assertThat(third.rejectUnauthorized()).isTrue();
    }

    @Test
    void newDefaultsAreMergedAgainForTheSameOptions() {
        AtomicReference<TlsOptions> defaults = new AtomicReference<>(
                TlsOptions.builder().provider(TlsProvider.JDK).rejectUnauthorized(true).build());
        TlsConnections connections = new TlsConnections(defaults::get);
        TlsOptions options = TlsOptions.builder().serverName("one.test").build();
        assertThat(connection(connections, options).rejectUnauthorized()).isTrue();
        assertThat(connection(connections, options).rejectUnauthorized()).isTrue();
        defaults.set(TlsOptions.builder().provider(TlsProvider.JDK).rejectUnauthorized(false).build());
        assertThat(connection(connections, options).rejectUnauthorized()).isFalse();
        assertThat(connections.contexts()).hasSize(2);
        defaults.set(TlsOptions.builder().provider(TlsProvider.JDK).rejectUnauthorized(true).build());
        assertThat(connection(connections, options).rejectUnauthorized()).isTrue();
        assertThat(connections.contexts()).hasSize(2);
    }

}
