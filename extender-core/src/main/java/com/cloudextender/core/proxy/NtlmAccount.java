package com.cloudextender.core.proxy;

/**
 * The Windows side of an NTLM proxy login ({@code proxy.domain}, {@code proxy.workstation}); the user
 * and password travel in the {@link com.cloudextender.api.ProxyRoute}.
 *
 * @param domain      the user's domain, empty for a local account of the proxy
 * @param workstation the name this machine gives itself in the exchange
 */
public record NtlmAccount(String domain, String workstation) {
}
