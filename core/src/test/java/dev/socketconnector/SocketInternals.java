package dev.socketconnector;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;

/**
 * Reaches the JDK channel under a socket, so tests can read back socket options with getsockopt.
 */
final class SocketInternals {

    private SocketInternals() {
    }

    static SocketChannel javaChannel(Socket<?> socket) throws Exception {
        Field channelField = socket.getClass().getDeclaredField("channel");
        channelField.setAccessible(true);
        Object channel = channelField.get(socket);
        Method javaChannel = io.netty.channel.nio.AbstractNioChannel.class.getDeclaredMethod("javaChannel");
        javaChannel.setAccessible(true);
        return (SocketChannel) javaChannel.invoke(channel);
    }
}
