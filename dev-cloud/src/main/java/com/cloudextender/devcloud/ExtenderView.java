package com.cloudextender.devcloud;

import java.time.Instant;

/**
 * A registered extender as the cloud sees it now.
 *
 * @param id the extender id
 * @param customer its customer
 * @param connected whether it has a bound XMPP session
 * @param lastHealthJson the last health report (JSON text), or null if it never sent one
 * @param connectedSince when its current session was bound, or null when it is not connected
 */
public record ExtenderView(String id, String customer, boolean connected, String lastHealthJson,
        Instant connectedSince) {
}
