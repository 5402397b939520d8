package com.cloudextender.core.module;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls into module code so that it can never crash or block the host: on a fresh daemon thread, with
 * the module's class loader as context class loader, every {@link Throwable} caught, and a time limit
 * after which the thread is interrupted and abandoned. A fresh thread per call, because a module that
 * hangs would otherwise block every later lifecycle call.
 */
final class Guarded {
    private Guarded() {
    }

    /**
     * Runs {@code body}; returns its value.
     *
     * @param what names the call in messages, e.g. {@code "start of example 1.2.0"}
     * @throws ModuleFailure when it threw or did not return within {@code limit}
     */
    static <T> T call(String what, ClassLoader loader, Duration limit, Callable<T> body) throws ModuleFailure {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            Thread.currentThread().setContextClassLoader(loader);
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "module-" + what.replace(' ', '-'));
        t.setDaemon(true);
        t.start();
        try {
            return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            throw new ModuleFailure(what + " did not finish within " + limit.toSeconds() + " s; abandoned");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ModuleFailure(what + " failed: " + describe(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.interrupt();
            throw new ModuleFailure(what + " was interrupted");
        }
    }

    static void run(String what, ClassLoader loader, Duration limit, ThrowingRunnable body) throws ModuleFailure {
        call(what, loader, limit, () -> {
            body.run();
            return null;
        });
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + m;
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
