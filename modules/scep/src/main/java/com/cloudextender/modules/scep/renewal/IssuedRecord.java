package com.cloudextender.modules.scep.renewal;

import java.time.Instant;
import java.util.Optional;

/**
 * A certificate issued through the extender, as kept for renewal tracking (no key, no secret).
 *
 * @param profile   the profile it was issued for
 * @param serial    its serial number, lower-case hex
 * @param subject   its subject DN (RFC 2253)
 * @param issuer    its issuer DN (RFC 2253)
 * @param notAfter  when it expires
 * @param device    the device it was requested for, if given
 * @param user      the user it was requested for, if given
 * @param renewedBy the serial of the certificate that replaced it, once renewed
 */
public record IssuedRecord(String profile, String serial, String subject, String issuer, Instant notAfter,
                           Optional<String> device, Optional<String> user, Optional<String> renewedBy) {

    /** This record marked as replaced by {@code serial}. */
    public IssuedRecord renewedBy(String newSerial) {
        return new IssuedRecord(profile, serial, subject, issuer, notAfter, device, user, Optional.of(newSerial));
    }
}
