/**
 * The Exchange ActiveSync module: device discovery and control on Exchange Online and Exchange
 * 2010-2019. {@code cmdlet} holds the backend-neutral cmdlet calls and typed errors, {@code online} the
 * REST admin API backend, {@code onprem} the PowerShell host backend, {@code devices} the discovery and
 * the actions.
 */
package com.cloudextender.modules.exchange;
