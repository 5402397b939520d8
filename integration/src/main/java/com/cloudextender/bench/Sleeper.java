package com.cloudextender.bench;

/** The memory baseline: a JVM that does nothing. */
public final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(60_000);
    }
}
