package dev.memtrack.internal.verdict;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.HeldBlocks;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.ToIntFunction;
import org.apiguardian.api.API;

/**
 * A pool that replaces what it holds does not grow (product.md, "Leak": memory a cache keeps
 * adding is a leak, not memory it swaps). A per-thread pool of direct buffers (a database
 * binding's key and value buffers in a thread-local queue) hands a buffer to a cursor that the
 * test never returns; the buffer is collected and freed, and the next buffer the pool needs is a
 * new one, allocated in this test and parked in the pool at its end. Judged by blocks, the test
 * leaked it; judged by the pool, which holds as many blocks as before, nothing grew.
 *
 * <p>The rule, for native blocks a reachable Java object owns, whose owner is held by state — a
 * static field, or a thread through its thread-locals — and only when that state already held
 * blocks at the end of an earlier test in this JVM: the test's blocks under that state are set
 * aside when no more of them are live than the blocks the state held at the end of earlier tests
 * and lost since (freed, and not yet replaced by blocks of a test in between). "That state" is
 * the path from the root to the owner with array indices left out (a queue's slot, a map's bucket
 * change; the field, the thread and the classes do not). A static of the test class itself is the
 * test's own, never such a state: a list the test fills, emptied between tests by a reset, is
 * refilled by each of them. The first test that makes a state hold
 * memory is judged as before (a library's first fill by {@link OneTimeInitialisation}; the
 * project's own state is a leak), and so is every test after which the state holds more.
 * Remembered per tests' class loader, as blocks (scope id and address) so that a block freed and
 * its address reused counts as freed. A site whose blocks could not all be listed (over 64) or
 * that has blocks no reachable object owns is not judged by this rule.
 */
@API(status = INTERNAL, since = "0.1")
public final class StateChurn {

    /** Blocks remembered per state at most (the oldest are forgotten first). */
    private static final int REMEMBERED = 4096;

    private static final Map<ClassLoader, Map<String, State>> HELD = Collections.synchronizedMap(new WeakHashMap<>());

    private StateChurn() {
    }

    /**
     * What a state held at the end of the last test that judged it: its blocks then still live,
     * and how many blocks it lost since it last gained some (freed, not yet replaced).
     */
    private static final class State {
        final List<long[]> blocks = new ArrayList<>();
        int freed;
    }

    /**
     * The native report with the sites of states that only replaced blocks set aside (see the
     * class comment).
     *
     * @param testClass the test's class: a static of its own (or of a class nested in it) is the
     *                  test's, never a state this rule judges; null when there is none
     * @param stillLive how many of the blocks (scope id, address pairs) are still live; -1 when
     *                  the tracker cannot tell
     */
    public static ScopeReport setAside(ScopeReport report, ClassLoader loader, String testClass,
                                       ToIntFunction<long[]> stillLive) {
        if (loader == null || report.domain() != Domain.NATIVE || report.figures().liveBytes() == 0) {
            return report;
        }
        Map<String, State> remembered = HELD.get(loader);
        if (remembered == null) {
            return report;
        }
        Map<String, Integer> added = new LinkedHashMap<>();
        for (Site site : report.sites()) {
            String state = site.liveCount() == site.held().count() && !testsOwn(site, testClass) ? stateOf(site) : null;
            if (state != null) {
                added.merge(state, site.held().count(), Integer::sum);
            }
        }
        Map<String, String> replacing = new HashMap<>();
        synchronized (remembered) {
            for (Map.Entry<String, Integer> e : added.entrySet()) {
                State before = remembered.get(e.getKey());
                if (before == null) {
                    continue;
                }
                int live = before.blocks.isEmpty() ? 0 : stillLive.applyAsInt(flatten(before.blocks));
                if (live < 0) {
                    return report;
                }
                int freed = before.freed + before.blocks.size() - live;
                if (e.getValue() <= freed) {
                    replacing.put(e.getKey(), "set aside: replaces what its holder lost (" + freed + " block"
                            + (freed == 1 ? "" : "s") + " it held at the end of earlier tests freed since, " + e.getValue()
                            + " new): the holder did not grow");
                }
            }
        }
        if (replacing.isEmpty()) {
            return report;
        }
        return OneTimeInitialisation.setAsideWith(report, site -> {
            String state = site.liveCount() == site.held().count() && !testsOwn(site, testClass) ? stateOf(site) : null;
            String reason = state == null ? null : replacing.get(state);
            return reason == null ? null : site.withNothingLive(site.ownedBy() + "; " + reason);
        });
    }

    /**
     * After a test's final verdict: the blocks each state holds now, its earlier ones still live
     * and this test's (leaked or set aside), for the next test's {@link #setAside}.
     *
     * @param stillLive as for {@link #setAside}, asked one block at a time
     */
    public static void remember(List<Site> judged, ClassLoader loader, ToIntFunction<long[]> stillLive) {
        if (loader == null) {
            return;
        }
        Map<String, List<long[]>> added = new LinkedHashMap<>();
        for (Site site : judged) {
            String state = site.domain() == Domain.NATIVE ? stateOf(site) : null;
            if (state != null) {
                List<Long> blocks = site.held().scopeAndAddress();
                for (int i = 0; i + 1 < blocks.size(); i += 2) {
                    added.computeIfAbsent(state, s -> new ArrayList<>()).add(new long[] {blocks.get(i), blocks.get(i + 1)});
                }
            }
        }
        Map<String, State> remembered = HELD.get(loader);
        if (added.isEmpty() && remembered == null) {
            return;
        }
        if (remembered == null) {
            remembered = HELD.computeIfAbsent(loader, l -> new HashMap<>());
        }
        synchronized (remembered) {
            for (State state : remembered.values()) {
                int before = state.blocks.size();
                state.blocks.removeIf(block -> stillLive.applyAsInt(block) == 0);
                state.freed += before - state.blocks.size();
            }
            for (Map.Entry<String, List<long[]>> e : added.entrySet()) {
                State state = remembered.computeIfAbsent(e.getKey(), s -> new State());
                state.blocks.addAll(e.getValue());
                state.freed = Math.max(0, state.freed - e.getValue().size());
                if (state.blocks.size() > REMEMBERED) {
                    state.blocks.subList(0, state.blocks.size() - REMEMBERED).clear();
                }
            }
        }
    }

    /**
     * The state that holds a leaked native site's owned blocks: its owner's path with array
     * indices left out, then its owner's class, when the path starts at a static field or at a thread's thread-locals and
     * the owned blocks are listed; null otherwise.
     */
    static String stateOf(Site site) {
        HeldBlocks held = site.held();
        List<String> path = site.retainedBy();
        if (!held.listed() || path.isEmpty()) {
            return null;
        }
        String root = path.get(0);
        boolean state = root.startsWith("static ")
                || (root.startsWith("thread \"") && path.size() > 1 && path.get(1).equals("java.lang.Thread.threadLocals"));
        if (!state) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (String step : path) {
            key.append(key.length() > 0 ? " -> " : "").append(step.startsWith("[") ? "[]" : step);
        }
        // the owner's class: "owned by: java.nio.DirectByteBuffer (field address)" and, once the
        // pool rewrote the buffer's address, "owned by: java.nio.DirectByteBuffer, through its
        // cleaner's ..." are the same state's
        String owner = site.ownedBy().startsWith(Site.OWNED_BY) ? site.ownedBy().substring(Site.OWNED_BY.length()) : "";
        int end = 0;
        while (end < owner.length() && owner.charAt(end) != ' ' && owner.charAt(end) != ',') {
            end++;
        }
        return key.append(" -> ").append(owner, 0, end).toString();
    }

    /** Whether the site's path starts at a static of the test class or of a class nested in it. */
    private static boolean testsOwn(Site site, String testClass) {
        if (testClass == null || site.retainedBy().isEmpty()) {
            return false;
        }
        String root = site.retainedBy().get(0);
        return root.startsWith("static " + testClass + ".") || root.startsWith("static " + testClass + "$");
    }

    private static long[] flatten(List<long[]> blocks) {
        long[] flat = new long[blocks.size() * 2];
        for (int i = 0; i < blocks.size(); i++) {
            flat[2 * i] = blocks.get(i)[0];
            flat[2 * i + 1] = blocks.get(i)[1];
        }
        return flat;
    }
}
