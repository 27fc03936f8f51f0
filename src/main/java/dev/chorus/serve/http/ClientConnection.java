package dev.chorus.serve.http;

import io.javalin.http.Context;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Tells whether the client of a plain HTTP/1.x request has gone, while a non-streamed answer is still being made.
 * Nothing is written before the answer, so Jetty would only notice at the final write; instead this tries a
 * non-blocking read of the connection, which has nothing more to deliver while the request is handled: end of
 * stream (or a reset) means the client closed it. A client that pipelines a second request would see one byte
 * of it taken: the probe then stops and the connection is closed after this answer, so the client resends it.
 */
final class ClientConnection {
    private final EndPoint endPoint;
    private final Context ctx;
    private boolean probing;

    private ClientConnection(Context ctx, EndPoint endPoint) {
        this.ctx = ctx;
        this.endPoint = endPoint;
        this.probing = endPoint != null;
    }

    /** A probe for this request's connection; it never reports a close for transports it cannot read. */
    static ClientConnection of(Context ctx) {
        Request base = Request.getBaseRequest(ctx.req());
        EndPoint ep = base == null || base.getHttpChannel() == null ? null : base.getHttpChannel().getEndPoint();
        boolean plainHttp1 = ep instanceof SocketChannelEndPoint && base.getHttpVersion() != null
                && base.getHttpVersion().getVersion() < 20 && base.getHttpInput().isFinished();
        return new ClientConnection(ctx, plainHttp1 ? ep : null);
    }

    /** True once the client is known to have closed the connection. */
    boolean closed() {
        if (!probing) {
            return false;
        }
        if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
            return true;
        }
        try {
            ByteBuffer one = BufferUtil.allocate(1);
            int n = endPoint.fill(one);
            if (n < 0) {
                return true;
            }
            if (n > 0) {
                probing = false;
                ctx.header("Connection", "close");
            }
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
