package com.cloudextender.core.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay to one target that cuts its first connection once the client has sent {@code cutAfter}
 * bytes through it (a reset to the client; to the target, those bytes and then the end of the stream); later connections pass whole. It counts the client's bytes over
 * all connections, so a test can see what was sent again.
 */
final class CuttingTcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final long cutAfter;
    private final AtomicLong connections = new AtomicLong();
    final AtomicLong clientBytes = new AtomicLong();

    CuttingTcpProxy(int targetPort, long cutAfter) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.cutAfter = cutAfter;
        Thread t = new Thread(this::acceptLoop, "cutting-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                boolean cut = connections.incrementAndGet() == 1;
                pump(client, target, cut, true);
                pump(target, client, false, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean cut, boolean count) {
        Thread t = new Thread(() -> {
            long sent = 0;
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (cut && sent + n > cutAfter) {
                        int part = (int) (cutAfter - sent);
                        out.write(buf, 0, part);
                        out.flush();
                        if (count) {
                            clientBytes.addAndGet(part);
                        }
                        // The client sees a reset; the cloud gets every byte that passed before the cut, then
                        // the end of the stream (a reset there could drop bytes still in the kernel's buffers,
                        // and the test could not tell what arrived).
                        reset(from);
                        to.shutdownOutput();
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    sent += n;
                    if (count) {
                        clientBytes.addAndGet(n);
                    }
                }
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // closing below is all that is left
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
