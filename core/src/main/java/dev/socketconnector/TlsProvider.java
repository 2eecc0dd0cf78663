package dev.socketconnector;

/**
 * The TLS implementation a connection uses.
 */
public enum TlsProvider {

    /** OPENSSL when netty-tcnative's BoringSSL loads, JDK otherwise. */
    AUTO,

    /** The JDK's JSSE; some introspection members are unavailable (see the README). */
    JDK,

    /** BoringSSL through netty-tcnative-boringssl-static: every TLS member works. */
    OPENSSL

}
