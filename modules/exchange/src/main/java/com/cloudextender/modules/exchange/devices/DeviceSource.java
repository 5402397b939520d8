package com.cloudextender.modules.exchange.devices;

import com.cloudextender.modules.exchange.cmdlet.Cmdlet;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.ExchangeBackend;
import com.cloudextender.modules.support.inventory.InventorySource;
import com.cloudextender.modules.support.inventory.ItemSink;
import com.cloudextender.modules.support.inventory.ReadResult;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads every ActiveSync partnership with its mailbox: the mailboxes that have partnerships first
 * ({@code Get-CASMailbox -Filter "HasActiveSyncDevicePartnership -eq $true"}, kept by identity), then
 * {@code Get-MobileDevice -ResultSize Unlimited} page by page, each device joined with its mailbox and
 * handed on as it arrives. With {@code statistics} each device's statistics are read too (one call per
 * device: costly on large organisations). Always a complete read: Exchange has no change feed for
 * devices, so the hash baseline finds the changes.
 */
public final class DeviceSource implements InventorySource<Device> {
    private final ExchangeBackend backend;
    private final boolean statistics;

    public DeviceSource(ExchangeBackend backend, boolean statistics) {
        this.backend = backend;
        this.statistics = statistics;
    }

    @Override
    public ReadResult read(boolean full, Map<String, byte[]> position, ItemSink<Device> sink) throws Exception {
        Map<String, ObjectNode> mailboxes = new HashMap<>();
        backend.stream(CmdletCall.of(Cmdlet.GET_CAS_MAILBOX, "Filter", "HasActiveSyncDevicePartnership -eq $true",
                "ResultSize", CmdletCall.Unlimited.UNLIMITED), m -> mailboxes.put(Device.text(m, "Identity"), slim(m)));
        DeviceFinder finder = new DeviceFinder(backend);
        backend.stream(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE, "ResultSize", CmdletCall.Unlimited.UNLIMITED), d -> {
            String owner = Device.mailboxOf(Device.text(d, "Identity"));
            Optional<ObjectNode> stats = statistics ? finder.statistics(Device.text(d, "Identity")) : Optional.empty();
            try {
                sink.item(new Device(d, Optional.ofNullable(mailboxes.get(owner)), stats));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return ReadResult.completeRead(statistics ? "completeReadWithStatistics" : "completeRead");
    }

    /** Only the properties the record uses: a large organisation has as many mailboxes as devices. */
    private static ObjectNode slim(ObjectNode m) {
        ObjectNode o = com.cloudextender.modules.support.Json.object();
        for (String f : new String[]{"Identity", "UserPrincipalName", "PrimarySmtpAddress", "DisplayName",
                "ActiveSyncMailboxPolicy"}) {
            if (m.hasNonNull(f)) {
                o.set(f, m.get(f));
            }
        }
        return o;
    }
}
