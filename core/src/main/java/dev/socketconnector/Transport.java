package dev.socketconnector;

/**
 * The Netty transport the connector's event loops use.
 */
public enum Transport {

    /**
     * Epoll, then io_uring, when their Netty native jars are on the class path and load;
     * NIO otherwise (epoll first: measured as fast or faster than io_uring here, connects
     * about twice as fast, and unix sockets can stay half-open on it). The JVM system
     * property {@code socketconnector.transport} ({@code auto}, {@code nio},
     * {@code epoll} or {@code io_uring}) replaces this choice, for instance to run an
     * application or a test suite on another transport without code changes; another
     * value fails the connector's build naming the allowed ones.
     */
    AUTO,

    /**
     * Java NIO: always available; unix sockets through {@code NioDomainSocketChannel}.
     */
    NIO,

    /**
     * Linux epoll; requires {@code netty-transport-native-epoll} with its native
     * classifier jar.
     */
    EPOLL,

    /**
     * Linux io_uring; requires {@code netty-transport-native-io_uring} with its native
     * classifier jar.
     */
    IO_URING

}
