package dev.memtrack.internal.agent;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Run in a fresh JVM by {@link ManagedFirstUseTests}: the first use of common JDK facilities,
 * each in its own scope, then the leak check of each scope. Prints one line per scope:
 * {@code <name> leaks=<n> once=<bytes>} and the described check.
 */
public final class ManagedFirstUseFixture {

    static volatile Object sink;

    /** A class initialised inside the scope, whose initialiser keeps a table. */
    static final class LazyTable {
        static final int[] TABLE = new int[1 << 20];
    }

    private ManagedFirstUseFixture() {
    }

    public static void main(String[] args) {
        NativeTracker nativeTracker = NativeTracker.instance();
        ManagedTracker managed = ManagedTracker.instance();
        if (!managed.isAvailable()) {
            System.out.println("UNAVAILABLE " + managed.unavailableReason());
            return;
        }
        run(nativeTracker, managed, "String.format", () -> sink = String.format("%d items at %.2f %s", 42, 3.5, "EUR"));
        run(nativeTracker, managed, "java.time", () -> sink = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)
                + LocalDate.of(2024, 2, 29).plusYears(1));
        run(nativeTracker, managed, "regex", () -> sink = Pattern.compile("(a+)(b*)c").matcher("aaabbc").replaceAll("$2$1"));
        run(nativeTracker, managed, "lambdas", () -> {
            int base = 3;
            Function<Integer, Integer> add = x -> x + base;
            Supplier<String> s = () -> "v" + add.apply(4);
            sink = List.of(1, 2, 3).stream().map(add).map(String::valueOf).collect(Collectors.joining(",")) + s.get();
        });
        run(nativeTracker, managed, "class initialiser", () -> sink = LazyTable.TABLE.length);
        run(nativeTracker, managed, "string concat", () -> sink = "x" + System.nanoTime() + 'c' + 2.5f);
    }

    private static void run(NativeTracker nativeTracker, ManagedTracker managed, String name, Runnable firstUse) {
        long scope = nativeTracker.beginScope();
        managed.meterEnter(scope);
        firstUse.run();
        managed.meterExit(scope);
        nativeTracker.endScope(scope);
        sink = null;
        for (int i = 0; i < 2; i++) {
            System.gc();
            managed.settle();
        }
        ManagedTracker.LeakCheck check = managed.checkLeaks(scope, null, Thread.currentThread(), false);
        System.out.println(name + " leaks=" + check.leaks().sites().size() + " once=" + check.oneTimeInitialisation().figures().liveBytes()
                + " allocated=" + managed.figures(scope).allocatedBytes());
        System.out.println(ManagedLeakTests.describe(check));
        nativeTracker.releaseScope(scope);
    }
}
