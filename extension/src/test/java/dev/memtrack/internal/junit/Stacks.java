package dev.memtrack.internal.junit;

import dev.memtrack.internal.model.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Merged stacks for fake allocations: a native part as the agent would record it, then Java frames. */
final class Stacks {

    static final List<Frame> NATIVE_PART = List.of(
            new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0),
            new Frame(Frame.Kind.NATIVE, "fixture_alloc", "libfixture.so", "fixture.c", 12));

    private static final Set<String> SKIPPED = Set.of(Stacks.class.getName(), Thread.class.getName());

    private Stacks() {
    }

    /**
     * A fixed stack through {@code testClass.method} at {@code line}, with framework frames below
     * it, so expected messages can be written out exactly.
     */
    static List<Frame> at(Class<?> testClass, String method, int line) {
        List<Frame> frames = new ArrayList<>(NATIVE_PART);
        frames.add(new Frame(Frame.Kind.JAVA, "com.example.Library.open", "", "Library.java", 40));
        frames.add(new Frame(Frame.Kind.JAVA, testClass.getName() + "." + method, "", testClass.getNestHost().getSimpleName() + ".java", line));
        frames.add(new Frame(Frame.Kind.JAVA, "java.lang.reflect.Method.invoke", "", "Method.java", 569));
        frames.add(new Frame(Frame.Kind.JAVA, "org.junit.platform.commons.util.ReflectionUtils.invokeMethod", "",
                "ReflectionUtils.java", 728));
        return frames;
    }

    /** The native part, then the calling thread's real Java stack (JUnit frames and all). */
    static List<Frame> here() {
        List<Frame> frames = new ArrayList<>(NATIVE_PART);
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            if (SKIPPED.contains(e.getClassName())) {
                continue;
            }
            int line = e.isNativeMethod() ? Frame.NATIVE_METHOD_LINE : Math.max(e.getLineNumber(), 0);
            frames.add(new Frame(Frame.Kind.JAVA, e.getClassName() + "." + e.getMethodName(), "",
                    e.getFileName() == null ? "" : e.getFileName(), line));
        }
        return frames;
    }
}
