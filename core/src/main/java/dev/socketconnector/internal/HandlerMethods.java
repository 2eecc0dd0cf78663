package dev.socketconnector.internal;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;

/**
 * Which of {@link SocketHandler}'s default methods a handler class overrides, found once
 * per class (as Netty's {@code ChannelHandlerMask} does for handlers): work whose only
 * consumer is a callback the handler leaves at its default can be skipped. Thread-safe.
 */
final class HandlerMethods {

    private static final ClassValue<Boolean> OVERRIDES_HANDSHAKE = new ClassValue<>() {

        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("handshake", Socket.class, boolean.class, Throwable.class)
                    .getDeclaringClass() != SocketHandler.class;
            }
            catch (NoSuchMethodException | SecurityException ex) {
                // when in doubt, the handler takes the error
                return true;
            }
        }

    };

    private HandlerMethods() {
    }

    /**
     * {@return whether {@code handler}'s class (or an interface or class it inherits)
     * overrides {@code SocketHandler.handshake}}
     * @param handler the handler
     */
    static boolean overridesHandshake(SocketHandler<?> handler) {
        return OVERRIDES_HANDSHAKE.get(handler.getClass());
    }

}
