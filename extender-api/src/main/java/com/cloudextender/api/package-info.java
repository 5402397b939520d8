/**
 * The stable interface between the Cloud Extender core and its modules. It has no dependencies, so
 * modules are free to bring their own libraries.
 *
 * <ul>
 *   <li>Commands: {@link com.cloudextender.api.Command}, {@link com.cloudextender.api.CommandResult},
 *       {@link com.cloudextender.api.ErrorCode}, {@link com.cloudextender.api.ActionHandler},
 *       {@link com.cloudextender.api.CommandException}.</li>
 *   <li>Modules: {@link com.cloudextender.api.ExtenderModule} (the entry point),
 *       {@link com.cloudextender.api.SelfChecking} (optional), and what the host offers through
 *       {@link com.cloudextender.api.ModuleContext}: configuration, uploads, scheduling, state,
 *       metrics and the proxy decision.</li>
 * </ul>
 *
 * docs/MODULES.md explains how to write, package and sign a module.
 */
package com.cloudextender.api;
