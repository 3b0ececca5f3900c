package dev.pgcapture.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP relay on loopback in front of a server, counting the bytes the server sends to its
 * clients: everything on the connection, HTTP/2 frame headers, HEADERS, SETTINGS, PINGs and
 * WINDOW_UPDATEs included (TCP/IP headers not).
 */
final class CountingRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CountingRelay.class);

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicLong toClients = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    CountingRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("bench-relay-accept").start(this::accept);
    }

    /** Where clients connect. */
    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    /** Bytes sent by the server to clients so far. */
    long bytesToClients() {
        return toClients.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                Thread.ofPlatform().daemon().name("bench-relay-up").start(() -> pump(client, server, null));
                Thread.ofPlatform().daemon().name("bench-relay-down").start(() -> pump(server, client, toClients));
            } catch (IOException e) {
                if (!closed) {
                    log.warn("relay: could not accept or connect: {}", e.getMessage());
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
                if (counter != null) {
                    counter.addAndGet(n);
                }
            }
        } catch (IOException e) {
            // The other side closed: the relay's connection ends with it.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        sockets.forEach(CountingRelay::closeQuietly);
    }
}
