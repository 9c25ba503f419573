package dev.memtrack.benchmarks.field;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memtrack.TrackMemory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Heap-heavy Java code: B2's loop (10M arrays of 32-96 bytes) as a test method, and collections
 * work. No native memory of its own; what memtrack adds here is managed tracking.
 */
public abstract class HeapSuite {

    /** Keeps the arrays reachable for a moment, so that none can be scalar-replaced. */
    private static final Object[] RING = new Object[1024];

    @Test
    void tenMillionSmallArrays() {
        Object[] ring = RING;
        int mask = ring.length - 1;
        int x = 0x9E3779B9;
        for (int i = 0; i < 10_000_000; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            ring[i & mask] = new byte[16 + (x >>> 26)];
        }
        assertTrue(ring[0] != null);
    }

    @Test
    void collections() {
        Map<String, List<Integer>> map = new HashMap<>();
        for (int i = 0; i < 1_000_000; i++) {
            map.computeIfAbsent("k" + (i % 5000), k -> new ArrayList<>()).add(i);
        }
        assertTrue(map.size() == 5000);
    }

    /** Measured: memtrack on every test of the class. */
    @TrackMemory
    public static final class Tracked extends HeapSuite {
    }

    /** The same tests without memtrack. */
    public static final class Untracked extends HeapSuite {
    }
}
