package com.cloudextender.modules.traveler.devices;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The wipe options of Traveler's Wipe Device action, by the module's name and the server's. */
public enum WipeOption {
    /** Restores the device to factory settings (and removes the Traveler data). */
    HARD_RESET("hardReset", "HardReset"),
    /** Removes the Traveler application and the data it synchronised. */
    APPLICATION("application", "Application"),
    /** Removes the data on the device's storage cards. */
    STORAGE_CARD("storageCard", "StorageCard");

    private final String argument;
    private final String wire;

    WipeOption(String argument, String wire) {
        this.argument = argument;
        this.wire = wire;
    }

    /** The name in action arguments. */
    public String argument() {
        return argument;
    }

    /** The name the server uses. */
    public String wire() {
        return wire;
    }

    /** The option named {@code argument} in an action's arguments. */
    public static Optional<WipeOption> ofArgument(String argument) {
        return Arrays.stream(values()).filter(o -> o.argument.equals(argument)).findFirst();
    }

    /** The option the server calls {@code wire} (any case). */
    public static Optional<WipeOption> ofWire(String wire) {
        return Arrays.stream(values()).filter(o -> o.wire.equalsIgnoreCase(wire)).findFirst();
    }

    /** Every argument name, for messages. */
    public static String arguments() {
        return Arrays.stream(values()).map(WipeOption::argument).collect(Collectors.joining(", "));
    }
}
