package com.cloudextender.modules.exchange.testing;

import com.cloudextender.api.ModuleConfig;
import com.cloudextender.modules.exchange.ExchangeModule;
import com.cloudextender.modules.testkit.FakeModuleContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The module started against a {@link FakeAdminApi}, with its context, for Exchange Online tests. */
public final class OnlineFixture implements AutoCloseable {
    public final InMemoryExchange exchange = new InMemoryExchange();
    public final FakeAdminApi api;
    public final FakeModuleContext context;
    public final ExchangeModule module = new ExchangeModule();
    public final Commands commands;

    public OnlineFixture(TestPki pki, Path dir, Map<String, String> extra) throws Exception {
        api = new FakeAdminApi(exchange, pki);
        context = new FakeModuleContext("exchange", new ModuleConfig(config(pki, api, extra), Set.of("online.certificatePassword")), dir);
        module.start(context);
        commands = new Commands(module.actions());
    }

    public static Map<String, String> config(TestPki pki, FakeAdminApi api, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>();
        c.put("backend", "online");
        c.put("online.tenant", FakeAdminApi.TENANT);
        c.put("online.clientId", "11111111-2222-3333-4444-555555555555");
        c.put("online.certificate", pki.appCertificate.toString());
        c.put("online.certificatePassword", TestPki.PASSWORD);
        c.put("online.authority", api.authorityBase());
        c.put("online.adminApiUrl", api.baseUrl());
        c.put("online.trustStore", pki.serverPem.toString());
        c.put("online.maxBackoff", "1s");
        c.put("sync.interval", "0s");
        c.putAll(extra);
        return c;
    }

    @Override
    public void close() {
        module.stop();
        api.close();
    }
}
