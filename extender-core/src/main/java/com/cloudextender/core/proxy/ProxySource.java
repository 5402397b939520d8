package com.cloudextender.core.proxy;

import java.util.List;

/**
 * Where a discovered proxy list comes from (the environment, a PAC file, the OS settings…), evaluated
 * per destination. Implementations are thread-safe.
 */
public interface ProxySource {

    /** In plain words for the log, for example {@code "PAC file http://wpad/wpad.dat"}. */
    String description();

    /**
     * The proxies to try for a connection to {@code host:port}, in order; {@link ProxyChoice#DIRECT} may
     * be one of them. Never empty.
     */
    List<ProxyChoice> choicesFor(String host, int port);
}
