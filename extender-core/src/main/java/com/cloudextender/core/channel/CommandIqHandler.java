package com.cloudextender.core.channel;

import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cloudextender.api.ErrorCode;
import com.cloudextender.core.command.Admission;
import com.cloudextender.core.protocol.AcceptedIq;
import com.cloudextender.core.protocol.CommandIq;
import com.cloudextender.core.protocol.ErrorReplyIq;
import com.cloudextender.core.protocol.Protocol;
import com.cloudextender.core.protocol.RefusedElement;
import com.cloudextender.core.protocol.WireText;
import com.cloudextender.core.protocol.XmlChars;

/**
 * Answers each command IQ at once: accepted (the result follows later) or an IQ error carrying the
 * refusal code. Runs on Smack's handler thread and never blocks there. Everything it logs from the
 * stanza goes through {@link WireText}, and refusals through the {@link RefusalLog}, so a sender can
 * neither forge log lines nor flood the log.
 */
final class CommandIqHandler extends AbstractIqRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CommandIqHandler.class);

    private final CloudAddresses cloud;
    private final CommandAdmitter admitter;
    private final XMPPConnection connection;
    private final java.util.function.Consumer<org.jxmpp.jid.Jid> authorisedSender;
    private final RefusalLog refusals;

    CommandIqHandler(XMPPConnection connection, CloudAddresses cloud, CommandAdmitter admitter,
            java.util.function.Consumer<org.jxmpp.jid.Jid> authorisedSender, RefusalLog refusals) {
        super(CommandIq.ELEMENT, Protocol.NAMESPACE, IQ.Type.set, Mode.sync);
        this.connection = connection;
        this.cloud = cloud;
        this.admitter = admitter;
        this.authorisedSender = authorisedSender;
        this.refusals = refusals;
    }

    @Override
    public IQ handleIQRequest(IQ request) {
        CommandIq command = (CommandIq) request;
        if (!cloud.mayCommand(request.getFrom(), connection.getXMPPServiceDomain())) {
            refusals.refused(bare(request), () -> LOG.warn("Refused command {} from {}: not a cloud address "
                    + "(allowed: {}). If this sender is the cloud, add it to cloud.addresses.",
                    WireText.of(command.commandId()), WireText.of(request.getFrom()), cloud));
            return refusal(request, ErrorCode.NOT_AUTHORISED, "sender " + request.getFrom()
                    + " is not allowed to send commands to this extender");
        }
        if (request.getFrom() != null) {
            authorisedSender.accept(request.getFrom());
        }
        String replyTo = request.getFrom() == null ? null : request.getFrom().toString();
        Admission a = admitter.admit(command.commandId(), command.module(), command.action(), command.timeoutMillis(),
                command.arguments(), replyTo);
        if (a instanceof Admission.Refused r) {
            refusals.refused(bare(request), () -> LOG.info("Refused command {} ({}/{}) from {}: {}",
                    WireText.of(command.commandId()), WireText.of(command.module()), WireText.of(command.action()),
                    WireText.of(request.getFrom()), WireText.of(r.reason(), 512)));
            return refusal(request, r.code(), r.reason());
        }
        AcceptedIq accepted = new AcceptedIq(command.commandId(), ((Admission.Accepted) a).state());
        accepted.setTo(request.getFrom());
        accepted.setStanzaId(request.getStanzaId());
        return accepted;
    }

    /** Refusals are counted per account, so that a flood cannot get more lines by changing resources. */
    private static Object bare(IQ request) {
        return request.getFrom() == null ? null : request.getFrom().asBareJid();
    }

    static IQ refusal(IQ request, ErrorCode code, String text) {
        StanzaError.Condition condition = switch (code) {
            case NOT_AUTHORISED -> StanzaError.Condition.forbidden;
            case TOO_LARGE -> StanzaError.Condition.not_acceptable;
            case BUSY -> StanzaError.Condition.resource_constraint;
            default -> StanzaError.Condition.bad_request;
        };
        StanzaError error = StanzaError.getBuilder(condition)
                .setDescriptiveEnText(XmlChars.clean(text))
                .addExtension(new RefusedElement(code.name(), text))
                .build();
        // Not IQ.createErrorResponse: it would copy the whole command back, arguments included (up to the size
        // limit for TOO_LARGE), and a command that cannot be written back would break the stream.
        return new ErrorReplyIq(request, error);
    }
}
