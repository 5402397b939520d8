package com.cloudextender.devcloud;

import java.util.function.BiConsumer;
import java.util.function.IntSupplier;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;

import com.cloudextender.core.protocol.HealthIq;
import com.cloudextender.core.protocol.LeaseIq;
import com.cloudextender.core.protocol.ResultIq;
import com.cloudextender.devcloud.lease.LeaseTable;
import com.cloudextender.devcloud.routing.CommandRouter;
import com.cloudextender.devcloud.routing.ExtenderPresence;
import com.cloudextender.devcloud.routing.ResultStore;
import com.cloudextender.devcloud.upload.SlotRefusedException;
import com.cloudextender.devcloud.upload.SlotRequestIq;
import com.cloudextender.devcloud.upload.UploadSlots;
import com.cloudextender.devcloud.xmpp.ClientSession;
import com.cloudextender.devcloud.xmpp.DomainIqHandler;

/**
 * The cloud's side of the extender vocabulary, for IQs that extenders address to the domain:
 * results (stored, then acknowledged with an empty result), health reports (stored, acknowledged, then
 * passed on to the module rollout), lease requests (answered from the {@link LeaseTable}) and
 * upload slot requests (answered with a slot). See docs/PROTOCOL.md sections 4, 5 and 7.
 */
final class CloudIqHandler implements DomainIqHandler {
    private final ResultStore results;
    private final ExtenderPresence presence;
    private final CommandRouter router;
    private final UploadSlots uploads;
    private final IntSupplier acknowledgements;
    private final BiConsumer<String, String> healthListener;
    private final LeaseTable leases;

    /** @param healthListener told of each health report (extender id, report JSON) after the router */
    CloudIqHandler(ResultStore results, ExtenderPresence presence, CommandRouter router, UploadSlots uploads,
            IntSupplier acknowledgements, BiConsumer<String, String> healthListener, LeaseTable leases) {
        this.leases = leases;
        this.results = results;
        this.presence = presence;
        this.router = router;
        this.uploads = uploads;
        this.acknowledgements = acknowledgements;
        this.healthListener = healthListener;
    }

    @Override
    public boolean handle(ClientSession from, IQ request) {
        String extenderId = from.localpart();
        if (request instanceof ResultIq result && request.getType() == IQ.Type.set) {
            if (result.commandId() == null || result.commandId().isBlank()) {
                from.send(error(request, StanzaError.Condition.bad_request, "the result has no command 'id'"));
                return true;
            }
            results.store(extenderId, result);
            // Stored first, then acknowledged: the acknowledgement lets the extender forget the result.
            for (int i = acknowledgements.getAsInt(); i > 0; i--) {
                from.send(IQ.createResultIQ(request));
            }
            router.onResult(extenderId, result);
            return true;
        }
        if (request instanceof HealthIq health && request.getType() == IQ.Type.set) {
            boolean healthy = presence.health(extenderId, health.report());
            from.send(IQ.createResultIQ(request));
            router.onHealth(extenderId, healthy, CommandRouter.advertisedCapacity(health.report()));
            healthListener.accept(extenderId, health.report());
            return true;
        }
        if (request instanceof LeaseIq lease && request.getType() == IQ.Type.set) {
            from.send(answer(extenderId, lease));
            return true;
        }
        if (request instanceof SlotRequestIq slotRequest && request.getType() == IQ.Type.get) {
            try {
                org.jivesoftware.smackx.httpfileupload.element.Slot slot = uploads.createSlot(extenderId, slotRequest);
                slot.setStanzaId(request.getStanzaId());
                slot.setTo(request.getFrom());
                slot.setFrom(request.getTo());
                from.send(slot);
            } catch (SlotRefusedException e) {
                from.send(error(request, e.condition(), e.getMessage()));
            }
            return true;
        }
        return false;
    }

    private IQ answer(String extenderId, LeaseIq request) {
        String customer = presence.customerOf(extenderId).orElse(null);
        String name = request.name();
        if (customer == null || name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            return error(request, StanzaError.Condition.bad_request, customer == null ? "the extender has no customer"
                    : "the lease needs a 'name' of 1 to 64 letters, digits, '.', '-' or '_'");
        }
        if (LeaseIq.RELEASE.equals(request.op())) {
            leases.release(customer, extenderId, name);
            return LeaseIq.answer(request, name, LeaseIq.RELEASED, 0, leases.term().toMillis(), null, 0);
        }
        if (!LeaseIq.ACQUIRE.equals(request.op())) {
            return error(request, StanzaError.Condition.bad_request, "'op' must be 'acquire' or 'release'");
        }
        LeaseTable.Answer a = leases.acquire(customer, extenderId, name);
        return LeaseIq.answer(request, name, a.held() ? LeaseIq.HELD : LeaseIq.TAKEN, a.generation(), a.termMillis(),
                a.held() ? null : a.holder(), a.retryMillis());
    }

    private static IQ error(IQ request, StanzaError.Condition condition, String text) {
        return IQ.createErrorResponse(request, StanzaError.getBuilder(condition).setDescriptiveEnText(text).build());
    }
}
