package dev.socketconnector;

/**
 * The Netty transport the connector's event loops use.
 */
public enum Transport {

    /** io_uring, then epoll, when their Netty native jars are on the class path and load; NIO otherwise. */
    AUTO,

    /** Java NIO: always available; unix sockets through {@code NioDomainSocketChannel}. */
    NIO,

    /** Linux epoll; requires {@code netty-transport-native-epoll} with its native classifier jar. */
    EPOLL,

    /** Linux io_uring; requires {@code netty-transport-native-io_uring} with its native classifier jar. */
    IO_URING
}
