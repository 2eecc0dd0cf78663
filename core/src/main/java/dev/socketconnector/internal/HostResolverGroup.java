package dev.socketconnector.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import org.jspecify.annotations.Nullable;

/**
 * The connector's {@link AddressResolverGroup} for {@code Resolver.jdk()}: resolves an
 * unresolved {@link InetSocketAddress} through the bounded {@link HostResolver}, so each
 * connect attempt's lookups keep the {@code HostResolver}'s guarantees (connects to one
 * name share one lookup, bounded concurrency and queue, a decided connect drops its
 * lookup).
 * <p>
 * An IP literal resolves to itself without a lookup. A malformed name, or one under
 * {@code .invalid}, fails with an {@link UnknownHostException} without a lookup.
 * {@link AddressResolver#resolveAll} (what {@link AddressRace} calls at each connect
 * attempt) gives every address of the name; {@link AddressResolver#resolve} gives the
 * first. An answer completes the promise from a resolver thread (Netty notifies its
 * listeners on the channel's event loop); a failure is reported on the event loop.
 */
final class HostResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final HostResolver hosts;

    /**
     * The connects waiting for a lookup, by the unresolved address each handed to
     * {@code Bootstrap.connect} (by identity: each connect makes its own instance).
     * Guarded by itself.
     */
    private final Map<InetSocketAddress, Interest> interests = Collections.synchronizedMap(new IdentityHashMap<>());

    HostResolverGroup(HostResolver hosts) {
        this.hosts = hosts;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new Resolver(executor);
    }

    /**
     * Registers a connect before it hands {@code unresolved} to
     * {@code Bootstrap.connect}. A failed lookup is reported to {@code onFailure} on the
     * event loop before the resolve promise fails: Bootstrap then closes the channel, and
     * the connect must have seen the lookup's error (ENOTFOUND, EAI_AGAIN) before that
     * close.
     * @param unresolved the connect's own address instance
     * @param onFailure called once on the event loop with the lookup's failure
     */
    void expect(InetSocketAddress unresolved, Consumer<Throwable> onFailure) {
        this.interests.put(unresolved, new Interest(onFailure));
    }

    /**
     * Drops a connect's interest in the lookup of its address: a queued lookup nobody
     * else waits for leaves the queue, a running one frees its slot (see
     * {@link HostResolver}). Idempotent, any thread.
     * @param unresolved the address instance given to {@link #expect}
     */
    void forget(InetSocketAddress unresolved) {
        Interest interest = this.interests.remove(unresolved);
        if (interest != null) {
            interest.cancel();
        }
    }

    /** Stops the lookups: later ones fail with a {@code RejectedExecutionException}. */
    @Override
    public void close() {
        super.close();
        this.hosts.close();
    }

    private void lookup(InetSocketAddress unresolved, EventExecutor executor, Consumer<List<InetAddress>> success,
            Consumer<Throwable> failure) {
        String host = unresolved.getHostString();
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            success.accept(List.of(NetUtil.createInetAddressFromIpAddressString(host)));
            return;
        }
        Interest interest = this.interests.get(unresolved);
        if (!HostResolver.isValidHostname(host)) {
            fail(interest, executor, new UnknownHostException(host + ": not a valid host name"), failure);
            return;
        }
        HostResolver.Lookup lookup = this.hosts.resolve(host, (addresses, cause) -> {
            if (addresses != null) {
                if (!executor.isShuttingDown()) {
                    // else the loop has stopped and could not be notified: the
                    // connector's close fails the connect
                    success.accept(addresses);
                }
            }
            else {
                fail(interest, executor, (cause != null) ? cause : new UnknownHostException(host), failure);
            }
        });
        if (interest != null) {
            interest.lookup(lookup);
        }
    }

    /**
     * Reports a failed lookup to the connect, then to Bootstrap, both on the event loop.
     */
    private static void fail(@Nullable Interest interest, EventExecutor executor, Throwable cause,
            Consumer<Throwable> failure) {
        Runnable task = () -> {
            if (interest != null) {
                interest.onFailure.accept(cause);
            }
            failure.accept(cause);
        };
        if (executor.inEventLoop()) {
            task.run();
            return;
        }
        try {
            executor.execute(task);
        }
        catch (RejectedExecutionException ex) {
            // the loop has stopped (the connector is closing): the connector's close
            // fails the connect
        }
    }

    private static List<InetSocketAddress> withPort(List<InetAddress> addresses, int port) {
        List<InetSocketAddress> result = new ArrayList<>(addresses.size());
        for (InetAddress address : addresses) {
            result.add(new InetSocketAddress(address, port));
        }
        return result;
    }

    /** A connect's interest in a lookup. */
    private static final class Interest {

        final Consumer<Throwable> onFailure;

        private HostResolver.@Nullable Lookup lookup;

        private boolean cancelled;

        Interest(Consumer<Throwable> onFailure) {
            this.onFailure = onFailure;
        }

        synchronized void lookup(HostResolver.Lookup lookup) {
            if (this.cancelled) {
                lookup.cancel();
            }
            else {
                this.lookup = lookup;
            }
        }

        synchronized void cancel() {
            this.cancelled = true;
            if (this.lookup != null) {
                this.lookup.cancel();
                this.lookup = null;
            }
        }

    }

    /**
     * One event loop's resolver: stateless, every lookup goes to the group's
     * {@link HostResolver}.
     */
    private final class Resolver extends AbstractAddressResolver<InetSocketAddress> {

        Resolver(EventExecutor executor) {
            super(executor, InetSocketAddress.class);
        }

        @Override
        protected boolean doIsResolved(InetSocketAddress address) {
            return !address.isUnresolved();
        }

        @Override
        protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
            lookup(unresolved, executor(),
                    (addresses) -> promise.trySuccess(new InetSocketAddress(addresses.get(0), unresolved.getPort())),
                    promise::tryFailure);
        }

        @Override
        protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
            lookup(unresolved, executor(), (addresses) -> promise.trySuccess(withPort(addresses, unresolved.getPort())),
                    promise::tryFailure);
        }

    }

}
