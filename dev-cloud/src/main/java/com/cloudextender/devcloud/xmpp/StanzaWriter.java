package com.cloudextender.devcloud.xmpp;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one bound stream's outgoing XML on its own thread. Senders only enqueue text, so no sender
 * ever blocks on a slow socket while holding a lock; the thread writes everything queued and flushes
 * only when the queue is empty, which batches many small stanzas into few TLS records and system calls
 * under load, and still sends a lone stanza at once.
 */
final class StanzaWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StanzaWriter.class);
    /** Beyond this many queued items the client is not reading; the connection is dropped rather than fill the heap. */
    private static final int CAPACITY = 200_000;
    private static final long FULL_QUEUE_WAIT_SECONDS = 10;
    /** Compared by identity: the end of the queue. */
    private static final String END = new String("<end/>");

    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final Writer out;
    private final Thread thread;
    private final Runnable onFailure;
    private volatile boolean ended;

    /**
     * @param onFailure run (once, on the writer thread) when writing fails or the queue overflows:
     *            the session then closes
     */
    StanzaWriter(OutputStream output, String name, Runnable onFailure) {
        this.out = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 64 * 1024);
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, "xmpp-writer-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues {@code xml}; returns false when the stream has ended or the client stopped reading. */
    boolean send(String xml) {
        if (ended) {
            return false;
        }
        try {
            if (queue.offer(xml) || queue.offer(xml, FULL_QUEUE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        LOG.warn("The client of {} has not read its stream for {} s; dropping the connection", thread.getName(),
                FULL_QUEUE_WAIT_SECONDS);
        onFailure.run();
        return false;
    }

    /**
     * Queues {@code finalXml} (may be null) as the last text of the stream and waits up to
     * {@code waitMillis} for everything queued to be written.
     */
    void finish(String finalXml, long waitMillis) {
        if (ended) {
            return;
        }
        if (finalXml != null) {
            queue.offer(finalXml);
        }
        ended = true;
        queue.offer(END);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops at once, discarding what is queued (the socket is gone). */
    void abort() {
        ended = true;
        queue.clear();
        queue.offer(END);
    }

    private void run() {
        try {
            while (true) {
                String xml = queue.take();
                if (xml == END) {
                    out.flush();
                    return;
                }
                out.write(xml);
                while ((xml = queue.poll()) != null) {
                    if (xml == END) {
                        out.flush();
                        return;
                    }
                    out.write(xml);
                }
                out.flush();
            }
        } catch (IOException e) {
            if (!ended) {
                LOG.debug("Writing to {} failed: {}", thread.getName(), e.toString());
                ended = true;
                onFailure.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
