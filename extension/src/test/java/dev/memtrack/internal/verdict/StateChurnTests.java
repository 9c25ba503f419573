package dev.memtrack.internal.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.HeldBlocks;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** A state that only replaces the blocks it holds does not grow; one that holds more does. */
class StateChurnTests {

    private static final List<String> POOL = List.of("thread \"main\"", "java.lang.Thread.threadLocals",
            "java.lang.ThreadLocal$ThreadLocalMap.table", "[30]", "java.lang.ThreadLocal$ThreadLocalMap$Entry.value",
            "java.util.ArrayDeque.elements", "[2]");
    private static final String OWNER = "owned by: java.nio.DirectByteBuffer (field address)";

    /** Blocks still live, as "scope:address". */
    private final Set<String> live = new HashSet<>();
    private final ToIntFunction<long[]> stillLive = blocks -> {
        int n = 0;
        for (int i = 0; i + 1 < blocks.length; i += 2) {
            n += live.contains(blocks[i] + ":" + blocks[i + 1]) ? 1 : 0;
        }
        return n;
    };
    /** Each test its own class loader: what StateChurn remembers is per tests' loader. */
    private final ClassLoader loader = new URLClassLoader(new URL[0]);

    /** A test (scope) whose pool site holds the given addresses, all live. */
    private ScopeReport test(long scope, List<String> path, long... addresses) {
        List<Long> blocks = new ArrayList<>();
        for (long address : addresses) {
            blocks.add(scope);
            blocks.add(address);
            live.add(scope + ":" + address);
        }
        long bytes = 8L * addresses.length;
        Site site = new Site(Domain.NATIVE, Origin.JDK_OFF_HEAP, bytes, addresses.length, bytes, addresses.length, bytes,
                addresses.length, List.of(new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0)), path, OWNER,
                new HeldBlocks(addresses.length, blocks));
        return new ScopeReport(Domain.NATIVE, new Figures(bytes, addresses.length, 0, 0, bytes, addresses.length, bytes),
                List.of(site));
    }

    private ScopeReport judge(ScopeReport report) {
        ScopeReport judged = StateChurn.setAside(report, loader, "com.acme.StoreTest", stillLive);
        StateChurn.remember(judged.sites(), loader, block -> stillLive.applyAsInt(block));
        return judged;
    }

    @Test
    void theFirstBlocksAStateHoldsAreJudgedAsBefore() {
        ScopeReport first = judge(test(1, POOL, 0x1000, 0x2000));

        assertThat(first.figures().liveBytes()).isEqualTo(16);
    }

    @Test
    void blocksThatReplaceFreedOnesAreSetAsideWithTheReason() {
        judge(test(1, POOL, 0x1000, 0x2000));
        live.remove("1:" + 0x1000); // lost by the second test, collected and freed

        ScopeReport second = judge(test(2, POOL, 0x3000));

        assertThat(second.figures().liveBytes()).isZero();
        assertThat(second.sites().get(0).liveBytes()).isZero();
        assertThat(second.sites().get(0).ownedBy()).isEqualTo(OWNER + "; set aside: replaces what its holder lost"
                + " (1 block it held at the end of earlier tests freed since, 1 new): the holder did not grow");
    }

    @Test
    void blocksFreedWhileATestThatAddedNothingRanAreStillReplacedLater() {
        judge(test(1, POOL, 0x1000, 0x2000));
        live.remove("1:" + 0x1000);
        live.remove("1:" + 0x2000);
        judge(new ScopeReport(Domain.NATIVE, Figures.ZERO, List.of())); // lost both, allocated none

        assertThat(judge(test(3, POOL, 0x3000)).figures().liveBytes()).isZero();
        assertThat(judge(test(4, POOL, 0x4000)).figures().liveBytes()).isZero();
        assertThat(judge(test(5, POOL, 0x5000)).figures().liveBytes()).as("a third new block: more than it lost").isEqualTo(8);
    }

    @Test
    void aStateThatHoldsMoreThanBeforeLeaksAllItsNewBlocks() {
        judge(test(1, POOL, 0x1000, 0x2000));
        live.remove("1:" + 0x1000);

        ScopeReport second = judge(test(2, POOL, 0x3000, 0x4000));

        assertThat(second.figures().liveBytes()).isEqualTo(16);
        assertThat(second.sites().get(0).ownedBy()).isEqualTo(OWNER);
    }

    @Test
    void anAddressFreedAndReusedByALaterTestCountsAsFreed() {
        judge(test(1, POOL, 0x1000));
        live.remove("1:" + 0x1000);

        ScopeReport second = judge(test(2, POOL, 0x1000)); // the allocator handed the same address out again

        assertThat(second.figures().liveBytes()).isZero();
    }

    @Test
    void theRuleRemembersWhatTheStateHoldsAfterEachTest() {
        judge(test(1, POOL, 0x1000));
        live.remove("1:" + 0x1000);
        judge(test(2, POOL, 0x2000)); // replaced: the state holds 0x2000 only
        // nothing freed since: a new block is growth, even though two were set aside or judged before
        ScopeReport third = judge(test(3, POOL, 0x3000));

        assertThat(third.figures().liveBytes()).isEqualTo(8);
    }

    @Test
    void anotherStateOrARootThatIsNoStateIsNotJudgedByIt() {
        List<String> otherPool = new ArrayList<>(POOL);
        otherPool.set(0, "thread \"worker-1\"");
        judge(test(1, POOL, 0x1000));
        live.remove("1:" + 0x1000);

        assertThat(judge(test(2, otherPool, 0x2000)).figures().liveBytes()).isEqualTo(8);
        assertThat(judge(test(3, List.of("JNI global", "com.acme.Handle.next"), 0x3000)).figures().liveBytes())
                .isEqualTo(8);
    }

    @Test
    void aStaticOfTheTestClassItselfIsTheTestsOwn() {
        List<String> testsList = List.of("static com.acme.StoreTest.OPENED", "java.util.ArrayList.elementData", "[0]");
        judge(test(1, testsList, 0x1000));
        live.remove("1:" + 0x1000); // emptied by a reset between the tests

        assertThat(judge(test(2, testsList, 0x2000)).figures().liveBytes()).isEqualTo(8);
    }

    @Test
    void aTrackerThatCannotTellLeavesTheReportAsItIs() {
        judge(test(1, POOL, 0x1000));
        live.remove("1:" + 0x1000);
        ScopeReport second = test(2, POOL, 0x2000);

        assertThat(StateChurn.setAside(second, loader, "com.acme.StoreTest", blocks -> -1)).isSameAs(second);
    }
}
