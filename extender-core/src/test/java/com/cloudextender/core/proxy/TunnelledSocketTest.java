package com.cloudextender.core.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import com.cloudextender.core.net.LoopbackHttp;

/** What a library may call on a tunnelled socket must not open sockets of its own that nothing closes. */
class TunnelledSocketTest {
    private static final Path FDS = Path.of("/proc/self/fd");
    /** Descriptors the test JVM may open meanwhile for reasons of its own; a leak here is one per call. */
    private static final long SLACK = 6;

    private static final class Direct extends TunnelledSocket {
        @Override
        protected Socket open(SocketAddress endpoint, int timeout) throws IOException {
            Socket s = new Socket();
            s.connect(endpoint, timeout);
            return s;
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(FDS)) {
            return s.count();
        }
    }

    /** Every option getter and the string form, as loggers and HTTP clients call them. */
    private static void askEverything(Socket s) {
        for (int i = 0; i < 20; i++) {
            try {
                s.getSoLinger();
                s.getReuseAddress();
                s.getOOBInline();
                s.supportedOptions();
                s.toString();
                s.getTcpNoDelay();
                s.getKeepAlive();
                s.getSoTimeout();
            } catch (SocketException e) {
                // an option only the real connection has: refused, which is fine, as long as nothing leaks
            }
            try {
                s.getReceiveBufferSize();
                s.getSendBufferSize();
                s.getTrafficClass();
                s.getOption(StandardSocketOptions.SO_RCVBUF);
            } catch (IOException e) {
                // not connected yet
            }
        }
    }

    @Test
    void optionGettersBeforeAndAfterConnectingLeaveNoDescriptorBehind() throws IOException {
        assumeTrue(Files.isDirectory(FDS), "needs /proc/self/fd");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long before = -1;
            for (int round = 0; round < 6; round++) {
                if (round == 1) {
                    before = openFds(); // after a warm-up round: the JDK opens some descriptors once, lazily
                }
                Direct s = new Direct();
                askEverything(s);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2000);
                try (Socket accepted = server.accept()) {
                    askEverything(s);
                    assertTrue(s.getReceiveBufferSize() > 0, "buffer sizes come from the real connection");
                    assertTrue(s.toString().contains(String.valueOf(server.getLocalPort())), s.toString());
                    s.close();
                }
                Direct never = new Direct();
                askEverything(never);
                never.close();
            }
            // The whole test JVM's count: other tests' sockets may close meanwhile, or a few JDK ones open.
            long left = openFds() - before;
            assertTrue(left <= SLACK, left + " descriptors left open by 5 rounds of 60 option calls each");
        }
    }

    /**
     * TLS over a tunnelled socket, as HttpClient layers it: closing the TLS socket asks the socket below for
     * its linger setting. That call once opened a socket each time, so every closed HTTPS connection through
     * the proxy path left one descriptor behind.
     */
    @Test
    void closingTlsLayeredOverItLeavesNoDescriptorBehind() throws Exception {
        assumeTrue(Files.isDirectory(FDS), "needs /proc/self/fd");
        try (LoopbackHttp server = LoopbackHttp.https().on("/", LoopbackHttp.body("ok".getBytes()))) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.uri("/").getPort());
            tlsRequest(server, address); // warm-up: TLS and HTTP server classes, the server's own threads
            long before = openFds();
            for (int i = 0; i < 40; i++) {
                tlsRequest(server, address);
            }
            long left = openFds() - before;
            assertTrue(left <= SLACK, left + " descriptors left by 40 closed TLS connections (one each before the fix)");
        }
    }

    private static void tlsRequest(LoopbackHttp server, InetSocketAddress address) throws IOException {
        Direct tunnelled = new Direct();
        tunnelled.connect(address, 2000);
        try (SSLSocket tls = (SSLSocket) server.clientTls().getSocketFactory()
                .createSocket(tunnelled, "127.0.0.1", address.getPort(), true)) {
            tls.startHandshake();
            tls.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            String answer = new String(tls.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
    }

    /** HttpClient sets TCP keep-alive times before it connects: they reach the real connection. */
    @Test
    void optionsSetBeforeConnectingAreAppliedToTheRealConnection() throws IOException {
        assumeTrue(new Direct().supportedOptions().contains(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE),
                "TCP_KEEPIDLE is supported on this system");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Direct s = new Direct()) {
            jdk.net.Sockets.setOption(s, jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 42);
            assertEquals(42, s.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2000);
            try (Socket accepted = server.accept()) {
                assertEquals(42, s.connection().getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
            }
        }
    }
}
