package com.cloudextender.core.channel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import com.cloudextender.core.config.TlsMode;
import com.cloudextender.core.proxy.ProxyDecision;

/** A failed connect must leave no socket open, whatever it failed with. */
class ChannelSocketTest {
    private static final Path FDS = Path.of("/proc/self/fd");

    /** A loopback server that treats every connection with {@code answer}, then closes it. */
    private static final class BadServer implements AutoCloseable {
        final ServerSocket server;
        final Thread thread;

        BadServer(Consumer<Socket> answer) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        answer.accept(s);
                    } catch (IOException e) {
                        // closed, or the client went away first
                    }
                }
            }, "bad-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> s = Files.list(FDS)) {
            return s.count();
        }
    }

    private static IOException failedConnect(int port) throws Exception {
        return failedConnect(port, SSLContext.getDefault(), "localhost");
    }

    private static IOException failedConnect(int port, SSLContext tls, String serverName) throws Exception {
        ChannelSocket socket = new ChannelSocket("127.0.0.1", port, serverName, TlsMode.DIRECT, tls,
                ProxyDecision.direct());
        IOException e = assertThrows(IOException.class,
                () -> socket.connect(new InetSocketAddress("127.0.0.1", port), 5000));
        assertFalse(socket.isConnected());
        return e;
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // close with RST instead of FIN
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void garbage(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
            s.getInputStream().read(new byte[4096]); // let the client read the answer before the socket closes
        } catch (IOException e) {
            // the client gave up first: fine
        }
    }

    @Test
    void failedTlsConnectsLeaveNoSocketOpen() throws Exception {
        assumeTrue(Files.isDirectory(FDS), "counts open files through /proc/self/fd (Linux)");
        try (BadServer resetting = new BadServer(ChannelSocketTest::reset);
                BadServer talking = new BadServer(ChannelSocketTest::garbage)) {
            // Warm up: class loading and the TLS provider open files once.
            for (int i = 0; i < 5; i++) {
                failedConnect(resetting.port());
                failedConnect(talking.port());
            }
            long before = openFiles();
            for (int i = 0; i < 100; i++) {
                IOException reset = failedConnect(resetting.port());
                IOException notTls = failedConnect(talking.port());
                // Neither is a handshake (verification) failure: the path that used to leak.
                assertFalse(notTls instanceof SSLHandshakeException, notTls.toString());
                if (i == 0) {
                    assertFalse(reset instanceof SSLHandshakeException && reset.getMessage().contains("verification"),
                            reset.toString());
                }
            }
            long after = openFiles();
            assertTrue(after - before <= 10, "open files grew from " + before + " to " + after
                    + " over 200 failed connects");
        }
    }

    @Test
    void aTlsFailureTheProviderLeavesOpenIsClosedByTheConnect() throws Exception {
        assumeTrue(Files.isDirectory(FDS), "counts open files through /proc/self/fd (Linux)");
        SSLContext unclean = UncleanTls.context();
        try (BadServer server = new BadServer(s -> {
        })) {
            for (int i = 0; i < 5; i++) {
                failedConnect(server.port(), unclean, "localhost");
            }
            long before = openFiles();
            for (int i = 0; i < 200; i++) {
                IOException e = failedConnect(server.port(), unclean, "localhost");
                assertFalse(e instanceof SSLHandshakeException, e.toString());
            }
            long after = openFiles();
            assertTrue(after - before <= 10, "open files grew from " + before + " to " + after
                    + " over 200 failed connects");
        }
    }

    @Test
    void aServerNameThatSniCannotCarryIsAnIoFailureNotALeakedSocket() throws Exception {
        try (BadServer server = new BadServer(ChannelSocketTest::garbage)) {
            // An underscore is common in internal names; SNI refuses it. The connect goes on without SNI
            // and fails as any TLS failure, instead of throwing IllegalArgumentException past the socket.
            IOException e = failedConnect(server.port(), SSLContext.getDefault(), "cloud_1.corp.test");
            assertTrue(e instanceof javax.net.ssl.SSLException, e.toString());
        }
    }
}
