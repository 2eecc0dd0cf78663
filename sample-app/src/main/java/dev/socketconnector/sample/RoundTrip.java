package dev.socketconnector.sample;

/**
 * One echoed line: what came back, how long it took and on which socket.
 *
 * @param kind {@code "ping"} for a heartbeat, {@code "message"} for a message sent
 * through the API
 * @param text the echoed text, without the protocol prefix
 * @param at when the reply arrived, in milliseconds since the epoch
 * @param millis the round-trip time in milliseconds, from the write to the reply
 * @param socketId the id of the socket that carried it (as in {@code /actuator/sockets})
 */
public record RoundTrip(String kind, String text, long at, double millis, String socketId) {
}
