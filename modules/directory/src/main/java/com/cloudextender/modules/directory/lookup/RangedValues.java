package com.cloudextender.modules.directory.lookup;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every value of a large multi-valued attribute, following Active Directory's range retrieval
 * (MS-ADTS 3.1.1.3.1.3.3): past MaxValRange values (1500 by default) the server returns
 * {@code member;range=0-1499} instead of {@code member}, and the client asks for
 * {@code member;range=1500-*} next, until the answer's range ends in {@code *}. Servers without ranges
 * simply return the whole attribute.
 */
public final class RangedValues {
    private static final Pattern RANGE = Pattern.compile(";range=(\\d+)-(\\d+|\\*)$", Pattern.CASE_INSENSITIVE);

    private RangedValues() {
    }

    /**
     * The attribute to ask for after receiving {@code returnedName}, or empty when it was the last part.
     * {@code member;range=0-1499} gives {@code member;range=1500-*}; {@code member;range=1500-*} and
     * a plain {@code member} give empty.
     */
    public static Optional<String> next(String returnedName) {
        Matcher m = RANGE.matcher(returnedName);
        if (!m.find() || m.group(2).equals("*")) {
            return Optional.empty();
        }
        long high = Long.parseLong(m.group(2));
        return Optional.of(returnedName.substring(0, m.start()) + ";range=" + (high + 1) + "-*");
    }

    /** The part of {@code entry} holding values of {@code base}, ranged or not; {@code null} when absent. */
    public static Attribute part(Entry entry, String base) {
        String prefix = base.toLowerCase(Locale.ROOT) + ";range=";
        for (Attribute a : entry.getAttributes()) {
            String n = a.getName().toLowerCase(Locale.ROOT);
            if (n.startsWith(prefix) || n.equals(base.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        return null;
    }

    /**
     * Visits every value of {@code attribute} of {@code first}, reading the remaining ranges of
     * {@code dn} from {@code connection} when the entry holds only the first range.
     */
    public static void forEach(LDAPInterface connection, Entry first, String attribute, Consumer<String> visitor)
            throws LDAPException {
        Entry entry = first;
        long lastLow = -1;
        while (entry != null) {
            Attribute part = part(entry, attribute);
            if (part == null) {
                return;
            }
            for (String v : part.getValues()) {
                visitor.accept(v);
            }
            Optional<String> next = next(part.getName());
            if (next.isEmpty()) {
                return;
            }
            long low = low(next.get());
            if (low <= lastLow) {
                throw new LDAPException(ResultCode.DECODING_ERROR, "the server returned range " + part.getName()
                        + " of " + entry.getDN() + " again; stopping so as not to loop");
            }
            lastLow = low;
            entry = connection.getEntry(entry.getDN(), next.get());
        }
    }

    private static long low(String name) {
        Matcher m = RANGE.matcher(name);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
