package dev.memtrack.internal.extension;

import java.util.Arrays;
import java.util.Set;

/**
 * Drops memtrack's own frames from the top of an assertion error's stack trace, so it starts
 * where the test called {@code MemoryAssertions}, as AssertJ does for its frames.
 */
final class CallerStack {

    private static final Set<String> OWN_CLASSES = Set.of(
            "dev.memtrack.MemoryAssertions",
            "dev.memtrack.internal.message.VerdictMessage",
            RunningTestChecks.class.getName());

    private CallerStack() {
    }

    static <T extends Throwable> T fromCaller(T error) {
        StackTraceElement[] stack = error.getStackTrace();
        int first = 0;
        while (first < stack.length && OWN_CLASSES.contains(stack[first].getClassName())) {
            first++;
        }
        if (first < stack.length) {
            error.setStackTrace(Arrays.copyOfRange(stack, first, stack.length));
        }
        return error;
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
