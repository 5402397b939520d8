package com.cloudextender.core.proxy;

import java.net.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.markusbernhardt.proxy.selector.pac.PacProxySelector;
import com.github.markusbernhardt.proxy.selector.pac.PacScriptSource;

/**
 * proxy-vole's PAC selector, minus one trait: an entry it cannot turn into an address (a port that is not
 * a number or is above 65535 or negative, as in {@code "PROXY a:99999; PROXY b:3128"}) makes it throw for
 * the whole answer, so the good entries after it were lost too. Here such an entry is left out of the list
 * and logged once; the other entries stand.
 */
final class PacFileSelector extends PacProxySelector {
    private static final Logger LOG = LoggerFactory.getLogger(PacFileSelector.class);

    private final String description;
    private final OnceOnly warned = new OnceOnly();

    PacFileSelector(String description, PacScriptSource source) {
        super(source);
        this.description = description;
    }

    @Override
    public List<Proxy> select(URI uri) {
        List<Proxy> all = new ArrayList<>(super.select(uri));
        all.removeIf(Objects::isNull);
        return all;
    }

    /** One entry of the answer, or {@code null} (left out by {@link #select}) when it is not an address. */
    @Override
    protected Proxy buildProxyFromPacResult(String entry) {
        try {
            return super.buildProxyFromPacResult(entry);
        } catch (IllegalArgumentException e) { // NumberFormatException included
            if (warned.first(entry.trim())) {
                LOG.warn("Skipping the entry \"{}\" of the {}: its port is not a port number 1-65535 ({})",
                        entry.trim(), description, e.getMessage());
            }
            return null;
        }
    }
}
