package dev.socketconnector.readme;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;

// @formatter:off
// readme:begin
final class Uploader implements SocketHandler<Uploader.Upload> {

    /** The bytes of one upload and how far it has got. */
    static final class Upload {

        private final byte[] bytes;

        private int offset;

        Upload(byte[] bytes) {
            this.bytes = bytes;
        }

        byte[] bytes() { return this.bytes; }

        int offset() { return this.offset; }

        int remaining() { return this.bytes.length - this.offset; }

        void advance(int written) { this.offset += written; }
    }

    @Override
    public void open(Socket<Upload> socket) {
        drain(socket); // the first writes: drain below carries on from wherever they stop
    }

    @Override
    public void drain(Socket<Upload> socket) {
        Upload upload = socket.data();
        while (upload.remaining() > 0) {
            int written = socket.write(upload.bytes(), upload.offset(), upload.remaining());
            if (written <= 0) {
                return; // 0: the buffer is full and drain fires again; -1: the socket has closed
            }
            upload.advance(written);
        }
        socket.end();
    }
}
// readme:end
// @formatter:on
