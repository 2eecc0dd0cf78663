package dev.socketconnector.internal.tls;

/** Test access to the TLS package's internals from the tests of the socket package. */
public final class TlsTestAccess {

    private TlsTestAccess() {
    }

    /**
     * {@return how many connections are registered with the BoringSSL key log}
     */
    public static int keyLogEntries() {
        return TlsKeyLog.registered();
    }

}
