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

import org.junit.jupiter.api.Test;

/** What a library may call on a tunnelled socket must not open sockets of its own that nothing closes. */
class TunnelledSocketTest {
    private static final Path FDS = Path.of("/proc/self/fd");

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
            long before = openFds();
            for (int round = 0; round < 5; round++) {
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
            assertEquals(before, openFds(), "descriptors left open by option calls");
        }
    }
}
