package com.cloudextender.core.proxy.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authenticating CONNECT proxy on loopback for tests, which records every request it receives (with the
 * number of the connection it came on). It offers the challenges it is given and accepts Basic with one
 * user and password, and NTLMv2 (verified as a server would: NTProofStr and MIC recomputed from the
 * password), on the connection that got the challenge only. An accepted CONNECT echoes bytes.
 */
final class FakeProxy implements AutoCloseable {
    record Request(int connection, List<String> head) {
        Optional<String> authorization() {
            return head.stream().filter(l -> l.regionMatches(true, 0, "Proxy-Authorization:", 0, 20))
                    .map(l -> l.substring(20).trim()).findFirst();
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    volatile List<String> offered;
    /** Whether NTLM messages are answered; off, they get the plain refusal, as from a proxy without NTLM. */
    volatile boolean ntlm = true;
    private final String user;
    private final String domain;
    private final String password;
    private final AtomicInteger connections = new AtomicInteger();
    volatile boolean closeAfterFirstRefusal;
    volatile boolean closeAfterNtlmChallenge;
    volatile boolean chunkedRefusals;

    /** @param offered the Proxy-Authenticate values of a 407, for example {@code "NTLM", "Basic realm=\"x\""} */
    FakeProxy(List<String> offered, String user, String domain, String password) throws IOException {
        this.offered = offered;
        this.user = user;
        this.domain = domain;
        this.password = password;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fake-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int id = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s, id), "fake-proxy-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, int id) {
        byte[] type2 = null;
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                List<String> head = readHead(in);
                if (head.isEmpty()) {
                    return;
                }
                Request r = new Request(id, head);
                requests.add(r);
                String auth = r.authorization().orElse("");
                if (auth.startsWith("Basic ") && auth.equals("Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)))) {
                    accept(in, out);
                    return;
                }
                if (auth.startsWith("NTLM ") && ntlm) {
                    byte[] m = Base64.getDecoder().decode(auth.substring(5));
                    int type = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
                    if (type == 1) {
                        type2 = Ntlmv2Test.challenge(targetInfo());
                        refuse(out, List.of("NTLM " + Base64.getEncoder().encodeToString(type2)));
                        if (closeAfterNtlmChallenge) {
                            return;
                        }
                        continue;
                    }
                    if (type == 3 && type2 != null && verify(m, type2)) {
                        accept(in, out);
                        return;
                    }
                    type2 = null;
                }
                refuse(out, offered);
                if (closeAfterFirstRefusal) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away
        }
    }

    private static byte[] targetInfo() {
        long now = Ntlmv2.fileTime(Instant.now());
        return Ntlmv2Test.concat(Ntlmv2Test.pair(2, Ntlmv2.utf16("CORP")), Ntlmv2Test.pair(1, Ntlmv2.utf16("PROXY1")),
                Ntlmv2Test.pair(7, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(now).array()),
                new byte[4]);
    }

    /** Checks an AUTHENTICATE as a domain controller would for NTLMv2. */
    private boolean verify(byte[] m, byte[] type2) {
        String u = new String(field(m, 36), StandardCharsets.UTF_16LE);
        String d = new String(field(m, 28), StandardCharsets.UTF_16LE);
        if (!u.equalsIgnoreCase(user) || !d.equalsIgnoreCase(domain)) {
            return false;
        }
        byte[] nt = field(m, 20);
        if (nt.length <= 24) {
            return false; // NTLMv1-class: refused, as ntlm auth = ntlmv2-only does
        }
        byte[] key = Ntlmv2.ntowfv2(u, d, password.toCharArray());
        byte[] blob = Arrays.copyOfRange(nt, 16, nt.length);
        byte[] proof = Ntlmv2.hmacMd5(key, Arrays.copyOfRange(type2, 24, 32), blob);
        if (!MessageDigest.isEqual(proof, Arrays.copyOf(nt, 16))) {
            return false;
        }
        byte[] zeroed = m.clone();
        Arrays.fill(zeroed, 72, 88, (byte) 0);
        byte[] mic = Ntlmv2.hmacMd5(Ntlmv2.hmacMd5(key, proof), Ntlmv2.negotiate(), type2, zeroed);
        return MessageDigest.isEqual(mic, Arrays.copyOfRange(m, 72, 88));
    }

    private static byte[] field(byte[] m, int at) {
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        int len = b.getShort(at) & 0xffff;
        int off = b.getInt(at + 4);
        return Arrays.copyOfRange(m, off, off + len);
    }

    private void refuse(OutputStream out, List<String> challenges) throws IOException {
        StringBuilder h = new StringBuilder("HTTP/1.1 407 Proxy Authentication Required\r\n");
        for (String c : challenges) {
            h.append("Proxy-Authenticate: ").append(c).append("\r\n");
        }
        String body = "<html>authentication required</html>";
        if (chunkedRefusals) {
            h.append("Transfer-Encoding: chunked\r\n\r\n").append(Integer.toHexString(body.length())).append("\r\n")
                    .append(body).append("\r\n0\r\n\r\n");
        } else {
            h.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        }
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void accept(InputStream in, OutputStream out) throws IOException {
        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        for (int b; (b = in.read()) >= 0;) {
            out.write(b);
            out.flush();
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return List.of();
            }
            b.write(c);
            matched = (c == '\r' && matched % 2 == 0) || (c == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1).lines().filter(l -> !l.isEmpty()).toList();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
