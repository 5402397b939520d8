package com.cloudextender.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

class UrlsTest {
    @Test
    void shownDropsUserInfoQueryAndFragment() {
        assertEquals("https://cloud.example.com:8443/modules/x.cxm",
                Urls.shown(URI.create("https://user:s3cret@cloud.example.com:8443/modules/x.cxm?token=t0k#f")));
        assertEquals("https://[::1]/x", Urls.shown(URI.create("https://admin@[::1]/x")));
        // A host Java cannot parse (underscore) still loses its user info.
        assertEquals("https://my_host:1/p", Urls.shown(URI.create("https://u:s3cret@my_host:1/p")));
        assertEquals("(a malformed URL)", Urls.shown("https://u:s3cret@host/ a b"));
    }

    @Test
    void httpsIsRequiredAndTheMessageShowsNoCredentials() {
        assertEquals(URI.create("https://h/p"), Urls.https("'url'", "https://h/p"));
        for (String bad : new String[] {"http://u:s3cret@h/p?token=t0k", "ftp://h/p", "https:/p", "//h/p"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Urls.https("'url'", bad));
            assertTrue(e.getMessage().startsWith("'url' must be an https:// URL with a host"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret") || e.getMessage().contains("t0k"), e.getMessage());
        }
    }
}
