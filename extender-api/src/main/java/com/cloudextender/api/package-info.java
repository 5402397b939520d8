/**
 * The stable interface between the Cloud Extender core and its modules: commands, results, typed
 * errors and the handler an action implements. It has no dependencies, so modules are free to bring
 * their own libraries.
 */
package com.cloudextender.api;
