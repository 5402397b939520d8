package com.cloudextender.chaos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against an echo server on loopback: forwarding, the gate, resets, stalls and partial writes. */
class FaultProxyTest {
    private ServerSocket echo;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private FaultProxy proxy;

    @BeforeEach
    void start() throws Exception {
        echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        pool.submit(() -> {
            while (!echo.isClosed()) {
                Socket s = echo.accept();
                pool.submit(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                    }
                    return null;
                });
            }
            return null;
        });
        proxy = FaultProxy.start(echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
        pool.shutdownNow();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(2000);
        return s;
    }

    private static byte[] read(InputStream in, int n) throws IOException {
        return in.readNBytes(n);
    }

    @Test
    void forwardsOnlyOnceTheGateIsOpen() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            proxy.openGate();
            s.setSoTimeout(2000);
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), read(s.getInputStream(), 5));
        }
    }

    @Test
    void aResetReachesTheClientAsAnRst() throws Exception {
        proxy.openGate();
        try (Socket s = connect()) {
            s.getOutputStream().write(1);
            assertEquals(1, s.getInputStream().read());
            proxy.resetAll();
            assertThrows(SocketException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    if (s.getInputStream().read() < 0) {
                        throw new AssertionError("got a clean end of stream, not a reset");
                    }
                }
            });
        }
    }

    @Test
    void aStallHoldsDataWithoutClosingAndResumeDeliversIt() throws Exception {
        proxy.openGate();
        try (Socket s = connect()) {
            proxy.stall();
            s.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            assertEquals(1, proxy.openLinks());
            proxy.resume();
            s.setSoTimeout(2000);
            assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), read(s.getInputStream(), 3));
        }
    }

    @Test
    void aPartialWriteDeliversPartOfAChunkThenCuts() throws Exception {
        proxy.openGate();
        try (Socket s = connect()) {
            proxy.cutNextChunk();
            s.getOutputStream().write("0123456789".getBytes(StandardCharsets.US_ASCII));
            byte[] got = s.getInputStream().readAllBytes();
            assertTrue(got.length < 10, "got " + got.length + " bytes");
        } catch (SocketException reset) {
            // also a cut: the RST may arrive before the echoed half
        }
    }

    @Test
    void refusedConnectionsAreResetAtOnce() throws Exception {
        proxy.openGate();
        proxy.refuse(true);
        try (Socket s = connect()) {
            assertThrows(IOException.class, () -> {
                s.getOutputStream().write(1);
                if (s.getInputStream().read() < 0) {
                    throw new SocketException("closed");
                }
            });
        }
    }
}
