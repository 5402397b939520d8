package com.cloudextender.modules.exchange.cmdlet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs allow-listed cmdlets on an Exchange organisation: Exchange Online's admin API or an on-premises
 * server's PowerShell session. Thread-safe.
 */
public interface ExchangeBackend extends AutoCloseable {
    /**
     * Runs {@code call}, handing each output object to {@code objects} as it arrives (pages are not
     * collected first), and returns the warnings.
     *
     * @throws ExchangeException typed: what failed and what to do
     */
    List<String> stream(CmdletCall call, ObjectSink objects) throws ExchangeException, InterruptedException;

    /** Runs {@code call} and collects its output. */
    default CmdletResult invoke(CmdletCall call) throws ExchangeException, InterruptedException {
        List<ObjectNode> out = new ArrayList<>();
        List<String> warnings = stream(call, out::add);
        return new CmdletResult(out, warnings);
    }

    /** The server's version (detected once, then remembered). */
    ServerVersion version() throws ExchangeException, InterruptedException;

    /** Checks that the backend can authenticate now; throws the typed failure otherwise. */
    void checkAuthentication() throws ExchangeException, InterruptedException;

    /** What the backend observed about throttling so far, for diagnose. */
    ObjectNode throttling();

    /** Which backend this is, for reports: {@code online} or {@code onPremises}. */
    String kind();

    @Override
    void close();

    /** Receives output objects one at a time. */
    @FunctionalInterface
    interface ObjectSink {
        void accept(ObjectNode object) throws ExchangeException, InterruptedException;
    }
}
