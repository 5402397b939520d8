package com.cloudextender.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The extender's version, written into the build's resources (or "dev" when that file is missing). */
public final class Version {
    private static final String CURRENT = read();

    private Version() {
    }

    public static String current() {
        return CURRENT;
    }

    /**
     * The version modules are checked against ({@code core.minVersion}): a development build
     * ({@code 0.2.0-SNAPSHOT}) counts as the release it leads to, since its modules are built with it.
     */
    public static String forModules() {
        return CURRENT.equals("dev") ? "999999" : CURRENT.replaceFirst("-SNAPSHOT$", "");
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            return v.isEmpty() || v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }
}
