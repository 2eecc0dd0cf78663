package dev.socketconnector.autoconfigure.actuate;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The web flavour of the {@code sockets} endpoint's delete: {@code DELETE
 * /actuator/sockets/{id}} answers 200 with the socket as it was when the close began, or
 * 404 when no open socket has that id (Actuator would answer 204 for the plain endpoint's
 * null).
 */
@EndpointWebExtension(endpoint = SocketsEndpoint.class)
public final class SocketsEndpointWebExtension {

    private final SocketsEndpoint delegate;

    /**
     * Creates the extension.
     * @param delegate the endpoint whose delete it answers over HTTP
     */
    public SocketsEndpointWebExtension(SocketsEndpoint delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Closes one socket, as {@link SocketsEndpoint#close(String, Boolean)}.
     * @param id the socket's id
     * @param terminate whether to terminate instead of ending; null means false
     * @return 200 with the socket, or 404
     */
    @DeleteOperation
    public WebEndpointResponse<SocketDescriptor> close(@Selector String id, @Nullable Boolean terminate) {
        SocketDescriptor closed = this.delegate.close(id, terminate);
        return (closed != null) ? new WebEndpointResponse<>(closed)
                : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }

}
