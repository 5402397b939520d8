/**
 * The example module: a small, complete module that shows the extender's module SPI. Its actions
 * are {@code echo}, {@code count} (durable state), {@code upload} (bulk uploads) and {@code config}
 * (configuration without secrets); a scheduled task counts ticks. It parses its arguments with
 * Jackson, which its package bundles, to show that modules bring their own libraries.
 */
package com.cloudextender.modules.example;
