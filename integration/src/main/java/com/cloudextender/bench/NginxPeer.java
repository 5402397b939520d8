package com.cloudextender.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx on loopback for the MEG tests and benchmark (installed by scripts/peers/nginx): a private
 * configuration in a folder, a free port, the foreground process stopped by its id. It serves
 * {@code /index.html}, {@code /large.bin} (generated, {@code largeBytes} long), {@code /redirect}
 * (302 to another host), {@code /private/} (Basic, user {@code alice}) and accepts {@code PUT /upload/x}.
 */
public final class NginxPeer implements AutoCloseable {
    public static final String USER = "alice";
    public static final String PASSWORD = "n0t-a-real-s3cret";

    /** The folder: configuration, logs, and the served root in www/. */
    public final Path dir;
    /** The loopback port nginx listens on. */
    public final int port;
    private final Process process;

    private NginxPeer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Writes the configuration and content into {@code dir} and starts nginx; {@code largeBytes} is large.bin's size. */
    public static NginxPeer start(Path dir, long largeBytes) throws IOException, InterruptedException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(www.resolve("private"));
        Files.createDirectories(www.resolve("upload"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(www.resolve("index.html"), "<html><body>intranet home</body></html>\n");
        Files.writeString(www.resolve("private/secret.txt"), "only for alice\n");
        try (RandomAccessFile f = new RandomAccessFile(www.resolve("large.bin").toFile(), "rw")) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) (i * 31 + 7);
            }
            for (long written = 0; written < largeBytes; written += block.length) {
                f.write(block, 0, (int) Math.min(block.length, largeBytes - written));
            }
        }
        Files.writeString(dir.resolve("htpasswd"), USER + ":{PLAIN}" + PASSWORD + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String d = dir.toAbsolutePath().toString();
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                worker_rlimit_nofile 8192;
                events { worker_connections 4096; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/tmp;
                    types { text/html html; text/plain txt; application/octet-stream bin; }
                    server {
                        listen 127.0.0.1:%2$d;
                        root %1$s/www;
                        location = /redirect { return 302 http://elsewhere.invalid/target; }
                        location /private/ { auth_basic "private"; auth_basic_user_file %1$s/htpasswd; }
                        location /upload/ { dav_methods PUT; client_max_body_size 0; create_full_put_path on; }
                    }
                }
                """.formatted(d, port);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        Process p = new ProcessBuilder(nginx, "-p", d, "-c", d + "/nginx.conf")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        NginxPeer peer = new NginxPeer(dir, port, p);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IOException("nginx exited at start: " + Files.readString(dir.resolve("nginx.out"))
                        + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            }
            try (Socket probe = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                probe.close();
                return peer;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        peer.close();
        throw new IOException("nginx did not listen on 127.0.0.1:" + port + " within 10 s");
    }

    /** Stops nginx by its process id. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
