/**
 * A generic inventory sync for modules that mirror a list of items (devices, users, …) into the cloud:
 * a read (complete, or a delta where the source can find changes itself), a compact hash baseline per
 * item id in {@link com.cloudextender.api.ModuleState}, gzip'd JSON-lines chunks uploaded through
 * {@link com.cloudextender.api.BulkUploads}, the baseline advanced in one atomic update only after every
 * chunk was stored, and a deletion threshold that holds deletions until the administrator allows them.
 *
 * <p>A module supplies an {@link com.cloudextender.modules.support.inventory.InventorySource} (how items
 * are read) and an {@link com.cloudextender.modules.support.inventory.ItemFormat} (an item's id and its
 * fields as JSON) and runs an {@link com.cloudextender.modules.support.inventory.InventorySync}.
 */
package com.cloudextender.modules.support.inventory;
