package dev.memtrack.internal.attribution;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A thread that belongs to no test: started before any scope and fed through a plain queue —
 * handing it work through an executor would carry the caller's scope, which is the point of
 * the code under test.
 */
final class Outsider implements AutoCloseable {

    interface Action {
        void run() throws Exception;
    }

    private final BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
    private final Thread thread;

    Outsider() {
        thread = new Thread(this::loop, "memtrack-test-outsider");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code action} on the outsider thread and waits for it. */
    void run(Action action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        work.put(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(30, TimeUnit.SECONDS);
    }

    private void loop() {
        try {
            while (true) {
                work.take().run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
