package com.cloudextender.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.cloudextender.devcloud.DevCloud;
import com.cloudextender.devcloud.ExtenderView;

/** An installation folder whose conf/extender.properties points at a dev cloud, as an administrator writes it. */
final class TestInstallation {
    private TestInstallation() {
    }

    /** Writes {@code home/conf/extender.properties} with a fresh activation code for {@code customer}. */
    static Path writeConfig(Path home, DevCloud cloud, String customer) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("cloud.host", "localhost");
        c.put("cloud.port", Integer.toString(cloud.directTlsPort()));
        c.put("cloud.tls", "direct");
        c.put("cloud.xmppDomain", cloud.domain());
        c.put("cloud.apiUrl", cloud.apiUrl().toString());
        c.put("cloud.trustStore", cloud.certificatePem().toAbsolutePath().toString());
        c.put("activation.code", cloud.createActivationCode(customer));
        c.put("reconnect.initialDelay", "200ms");
        c.put("reconnect.maxDelay", "2s");
        StringBuilder text = new StringBuilder("# written by the test\n");
        c.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path conf = Files.createDirectories(home.resolve("conf")).resolve("extender.properties");
        Files.writeString(conf, text);
        return conf;
    }

    /** Waits until one extender of {@code customer} is connected at the cloud; returns its id. */
    static String awaitConnected(DevCloud cloud, String customer, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Optional<String> id = cloud.extenders().stream().filter(v -> v.customer().equals(customer))
                    .filter(ExtenderView::connected).map(ExtenderView::id).findFirst();
            if (id.isPresent()) {
                return id.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no extender of customer " + customer + " connected to the dev cloud within "
                + timeout.toSeconds() + " s; extenders: " + cloud.extenders());
    }
}
