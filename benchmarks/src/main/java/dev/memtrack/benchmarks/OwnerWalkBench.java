package dev.memtrack.benchmarks;

import com.sun.jna.Native;
import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.ScopeReport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cost of the native owner check (issue 13): the report of a scope with 100,000 leaked native
 * blocks, with and without looking up their Java owners, on a heap of about 1 GB. Three cases,
 * alternating, each timed {@code --runs} times after a warm-up:
 * <ul>
 *   <li>{@code report}: the plain native report (no heap walk), the reference;</li>
 *   <li>{@code owned}: 100,000 small Java objects, each with a long field holding one block's
 *       address, in a static list: the walk finds every owner and its path;</li>
 *   <li>{@code orphans}: the same blocks with no Java object holding them: the walk finds none and
 *       looks once more among the unreachable objects (the worst case).</li>
 * </ul>
 * Run it with a heap large enough to hold the filler: {@code java -Xmx2g -cp ... dev.memtrack.benchmarks.OwnerWalkBench}.
 * Options: {@code --blocks=100000 --filler-mib=900 --small-objects=2000000 --runs=5 --warmup=1}.
 */
public final class OwnerWalkBench {

    /** A Java object owning a native block, as a JNA Memory or a RocksDB handle does. */
    static final class Owner {
        final long address;

        Owner(long address) {
            this.address = address;
        }
    }

    /** Small objects of the filler: references and a primitive, like most of a real heap. */
    static final class Node {
        final Node next;
        final long value;

        Node(Node next, long value) {
            this.next = next;
            this.value = value;
        }
    }

    static final List<Object> HEAP = new ArrayList<>();
    static final List<Owner> OWNERS = new ArrayList<>();

    private OwnerWalkBench() {
    }

    public static void main(String[] args) {
        int blocks = option(args, "blocks", 100_000);
        int fillerMib = option(args, "filler-mib", 900);
        int smallObjects = option(args, "small-objects", 2_000_000);
        int runs = option(args, "runs", 5);
        int warmup = option(args, "warmup", 1);

        NativeTracker tracker = NativeTracker.instance();
        ManagedTracker managed = ManagedTracker.instance(); // the owner check walks with its JVMTI environment
        if (!tracker.isAvailable() || !managed.isAvailable()) {
            throw new IllegalStateException("memtrack unavailable: " + tracker.unavailableReason() + " " + managed.unavailableReason());
        }
        for (int i = 0; i < fillerMib * 4; i++) {
            HEAP.add(new byte[(1 << 18) - 64]); // below G1's humongous size, so the heap is what it says
        }
        Node chain = null;
        for (int i = 0; i < smallObjects; i++) {
            chain = new Node(chain, i);
            if (i % 10_000 == 0) {
                HEAP.add(chain);
                chain = null;
            }
        }
        HEAP.add(chain);

        // the blocks: allocated in a scope, freed only at the end, so the scope has them live; their
        // addresses kept in native memory, so that no Java object holds them but the owners
        ByteBuffer addresses = ByteBuffer.allocateDirect(blocks * Long.BYTES).order(ByteOrder.nativeOrder());
        long scope = tracker.beginScope();
        for (int i = 0; i < blocks; i++) {
            addresses.putLong(i * Long.BYTES, Native.malloc(64));
        }
        // and managed objects sampled in the scope, so that the managed leak check walks the same heap
        for (int i = 0; i < 4000; i++) {
            HEAP.add(new byte[4096]);
        }
        tracker.endScope(scope);
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "heap used %d MiB, %d live blocks in the scope, %s%n",
                (rt.totalMemory() - rt.freeMemory()) >> 20, tracker.figures(scope).liveCount(), System.getProperty("java.version"));

        List<Long> report = new ArrayList<>();
        List<Long> managedWalk = new ArrayList<>();
        List<Long> owned = new ArrayList<>();
        List<Long> orphans = new ArrayList<>();
        String ownedLine = "";
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            ScopeReport plain = tracker.report(scope);
            long t1 = System.nanoTime();
            ManagedTracker.LeakCheck leaks = managed.checkLeaks(scope, null, Thread.currentThread(), false);
            long tm = System.nanoTime();
            for (int b = 0; b < blocks; b++) {
                OWNERS.add(new Owner(addresses.getLong(b * Long.BYTES) + 8)); // inside the block, as a slice holds
            }
            long t2 = System.nanoTime();
            if (leaks.candidates() == 0) {
                throw new IllegalStateException("no sampled object in the scope: the managed check did not walk");
            }
            ScopeReport withOwners = tracker.reportWithOwners(scope, null, Thread.currentThread());
            long t3 = System.nanoTime();
            OWNERS.clear();
            System.gc();
            long t4 = System.nanoTime();
            ScopeReport withoutOwners = tracker.reportWithOwners(scope, null, Thread.currentThread());
            long t5 = System.nanoTime();
            ownedLine = withOwners.sites().get(0).ownedBy() + " / " + String.join(" -> ", withOwners.sites().get(0).retainedBy())
                    + " | " + withoutOwners.sites().get(0).ownedBy();
            if (plain.sites().isEmpty()) {
                throw new IllegalStateException("no sites");
            }
            if (i >= warmup) {
                report.add(t1 - t0);
                managedWalk.add(tm - t1);
                owned.add(t3 - t2);
                orphans.add(t5 - t4);
            }
        }
        System.out.println("owner lines: " + ownedLine);
        System.out.println("| case | median ms | min-max ms | ratio to the managed leak check |");
        System.out.println("| --- | --- | --- | --- |");
        double base = median(managedWalk);
        print("native report, no walk", report, base);
        print("managed leak check (its heap walk)", managedWalk, base);
        print("owned: 100k owners found", owned, base);
        print("orphans: no owner, unreachable objects searched", orphans, base);
        for (int b = 0; b < blocks; b++) {
            Native.free(addresses.getLong(b * Long.BYTES));
        }
        tracker.releaseScope(scope);
    }

    private static void print(String name, List<Long> nanos, double base) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f-%.1f | %.1fx |%n", name, median(nanos) / 1e6, sorted[0] / 1e6,
                sorted[sorted.length - 1] / 1e6, median(nanos) / base);
    }

    private static double median(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    }

    private static int option(String[] args, String name, int fallback) {
        return Arrays.stream(args).filter(a -> a.startsWith("--" + name + "="))
                .map(a -> Integer.parseInt(a.substring(name.length() + 3))).findFirst().orElse(fallback);
    }
}
