package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.security.CodeSource;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Drops memtrack's own frames from the top of an assertion error's stack trace, so it starts
 * where the test called {@code MemoryAssertions}, as AssertJ does for its frames. A verdict on
 * a declared limit, judged after the test method returned, has no frame of the test's code at
 * all: its stack trace is the test method alone.
 */
@API(status = INTERNAL, since = "0.1")
public final class CallerStack {

    /** The public classes a test calls; everything under {@code dev.memtrack.internal} is memtrack's too. */
    private static final Set<String> OWN_CLASSES = Set.of(
            "dev.memtrack.MemoryAssertions",
            "dev.memtrack.AbstractAllocationsAssert",
            "dev.memtrack.AllocationsAssert",
            "dev.memtrack.AllocationsResult");
    private static final String INTERNAL_PACKAGE = "dev.memtrack.internal.";

    private CallerStack() {
    }

    /** Drops the frames above the caller: memtrack's, and the JDK's that memtrack's own code called. */
    public static <T extends Throwable> T fromCaller(T error) {
        StackTraceElement[] stack = error.getStackTrace();
        int first = 0;
        for (int i = 0; i < stack.length; i++) {
            String className = stack[i].getClassName();
            if (isOwn(className)) {
                first = i + 1;
            } else if (!className.startsWith("java.") && !className.startsWith("jdk.") && !className.startsWith("org.assertj.")) {
                break;
            }
        }
        if (first < stack.length) {
            error.setStackTrace(Arrays.copyOfRange(stack, first, stack.length));
        }
        return error;
    }

    /** For a verdict judged after the test method: the method is the one frame (its source line is not known). */
    static <T extends Throwable> T atTestMethod(T error, TestIdentity test) {
        String method = test.testMethod();
        int invocation = method.indexOf('[');
        if (invocation > 0) {
            method = method.substring(0, invocation);
        }
        error.setStackTrace(new StackTraceElement[] {new StackTraceElement(test.testClass(), method, null, -1)});
        return error;
    }

    /**
     * A class of memtrack's own code: its public classes a test calls, and {@code dev.memtrack.internal}
     * — loaded from where this class was (memtrack's own tests keep test classes in those packages).
     */
    static boolean isOwn(String className) {
        if (!className.startsWith(INTERNAL_PACKAGE) && !OWN_CLASSES.contains(className)) {
            return false;
        }
        return OWN_CODE.computeIfAbsent(className, CallerStack::loadedFromHere);
    }

    private static final Map<String, Boolean> OWN_CODE = new ConcurrentHashMap<>();

    private static boolean loadedFromHere(String className) {
        int hidden = className.indexOf("$$");
        String name = hidden > 0 ? className.substring(0, hidden) : className;
        try {
            Class<?> type = Class.forName(name, false, CallerStack.class.getClassLoader());
            Object location = location(type);
            // no location: a class generated in memtrack's package (JNA's interface proxy, $Proxy13)
            return location == null || location.equals(location(CallerStack.class));
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return true;
        }
    }

    private static Object location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }

    /**
     * The class that called {@code callee}: the first frame below the last frame of
     * {@code callee} on the calling thread's stack; empty when {@code callee} is not on it.
     */
    static String callerOf(String callee) {
        return StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .dropWhile(name -> !name.equals(callee))
                .dropWhile(name -> name.equals(callee))
                .findFirst()
                .orElse(""));
    }
}
