/**
 * The HCL (Lotus) Traveler module: device visibility (a delta-synchronised inventory) and device control
 * (approve, deny, wipe, clear, remove, approval settings) through the Traveler administration REST API.
 */
package com.cloudextender.modules.traveler;
