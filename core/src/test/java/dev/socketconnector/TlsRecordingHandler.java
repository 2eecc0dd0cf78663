package dev.socketconnector;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A {@link RecordingSocketHandler} that also keeps the {@code handshake} callback's
 * authorization error.
 */
public class TlsRecordingHandler extends RecordingSocketHandler<Void> {

    private final CompletableFuture<@Nullable Throwable> authorizationError = new CompletableFuture<>();

    @Override
    public void handshake(Socket<Void> socket, boolean success, @Nullable Throwable error) {
        this.authorizationError.complete(error);
        super.handshake(socket, success, error);
    }

    /**
     * Waits for the handshake callback and returns its authorization error (null when
     * none).
     */
    public @Nullable Throwable awaitAuthorizationError() throws Exception {
        awaitHandshake();
        return this.authorizationError.getNow(null);
    }

}
