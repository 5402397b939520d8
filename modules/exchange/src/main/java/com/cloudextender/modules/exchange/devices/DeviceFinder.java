package com.cloudextender.modules.exchange.devices;

import com.cloudextender.modules.exchange.cmdlet.Cmdlet;
import com.cloudextender.modules.exchange.cmdlet.CmdletCall;
import com.cloudextender.modules.exchange.cmdlet.ExchangeBackend;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException;
import com.cloudextender.modules.exchange.cmdlet.ExchangeException.Reason;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds one partnership by ActiveSync DeviceId (and mailbox when several mailboxes share a device),
 * and a mailbox by identity. DeviceIds are checked against the ActiveSync form (letters and digits)
 * before they go into a filter, so no input ever becomes part of a filter's syntax.
 */
public final class DeviceFinder {
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    private final ExchangeBackend backend;

    public DeviceFinder(ExchangeBackend backend) {
        this.backend = backend;
    }

    /** Checks that {@code deviceId} has the ActiveSync DeviceId form. */
    public static String checkDeviceId(String deviceId) throws ExchangeException {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new ExchangeException(Reason.INVALID_PARAMETER, "deviceId: an ActiveSync DeviceId is 1 to 64 "
                    + "letters and digits; got " + (deviceId == null ? "nothing" : deviceId.length() + " characters that are not"));
        }
        return deviceId;
    }

    /**
     * The partnership of {@code deviceId}, in {@code mailbox} when given.
     *
     * @throws ExchangeException UNKNOWN_DEVICE, UNKNOWN_MAILBOX or AMBIGUOUS_DEVICE naming the id
     */
    public Device find(String deviceId, Optional<String> mailbox) throws ExchangeException, InterruptedException {
        checkDeviceId(deviceId);
        Optional<ObjectNode> box = Optional.empty();
        if (mailbox.isPresent()) {
            box = Optional.of(mailbox(mailbox.get()));
        }
        CmdletCall call = mailbox.isPresent()
                ? CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE, "Mailbox", mailbox.get())
                : CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE, "Filter", "DeviceId -eq '" + deviceId + "'");
        List<ObjectNode> matches = backend.invoke(call).objects().stream()
                .filter(d -> Device.text(d, "DeviceId").equalsIgnoreCase(deviceId)).toList();
        if (matches.isEmpty()) {
            throw new ExchangeException(Reason.UNKNOWN_DEVICE, "no ActiveSync device has DeviceId " + deviceId
                    + mailbox.map(m -> " in mailbox " + m).orElse(""));
        }
        if (matches.size() > 1) {
            throw new ExchangeException(Reason.AMBIGUOUS_DEVICE, "DeviceId " + deviceId + " matches "
                    + matches.size() + " partnerships (mailboxes " + String.join(", ",
                    matches.stream().map(d -> Device.mailboxOf(Device.text(d, "Identity"))).toList())
                    + "); name the mailbox with \"mailbox\"");
        }
        ObjectNode d = matches.get(0);
        if (box.isEmpty()) {
            String owner = Device.mailboxOf(Device.text(d, "Identity"));
            box = owner.isEmpty() ? Optional.empty() : Optional.of(mailbox(owner));
        }
        return new Device(d, box, Optional.empty());
    }

    /** The CAS mailbox {@code identity}; UNKNOWN_MAILBOX when there is none. */
    public ObjectNode mailbox(String identity) throws ExchangeException, InterruptedException {
        if (identity.isBlank()) {
            throw new ExchangeException(Reason.INVALID_PARAMETER, "mailbox: empty; give a mailbox's address or identity");
        }
        try {
            List<ObjectNode> found = backend.invoke(CmdletCall.of(Cmdlet.GET_CAS_MAILBOX, "Identity", identity)).objects();
            if (found.isEmpty()) {
                throw new ExchangeException(Reason.UNKNOWN_MAILBOX, "no mailbox is called " + identity);
            }
            return found.get(0);
        } catch (ExchangeException e) {
            if (e.reason() == Reason.NOT_FOUND) {
                throw new ExchangeException(Reason.UNKNOWN_MAILBOX, "no mailbox is called " + identity + " ("
                        + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    /** The statistics of the partnership {@code identity}. */
    public Optional<ObjectNode> statistics(String identity) throws ExchangeException, InterruptedException {
        List<ObjectNode> s = backend.invoke(CmdletCall.of(Cmdlet.GET_MOBILE_DEVICE_STATISTICS, "Identity", identity))
                .objects();
        return s.isEmpty() ? Optional.empty() : Optional.of(s.get(0));
    }
}
