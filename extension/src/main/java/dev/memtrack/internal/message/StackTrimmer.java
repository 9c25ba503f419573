package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Frame;
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Cuts the framework frames (JUnit, reflection) below the test method off a merged stack. The
 * last frame kept is the deepest Java frame of a test class: the class itself, or one of its
 * nested, anonymous or lambda classes ({@code com.acme.FooTest$1},
 * {@code com.acme.FooTest$$Lambda$14/0x...}); lambda bodies ({@code FooTest.lambda$x$0}) are
 * methods of the class itself. A stack with no such frame is kept whole, so nothing is hidden
 * when the allocation did not come from the test's own code path.
 */
@API(status = INTERNAL, since = "0.1")
public final class StackTrimmer {

    private final Set<String> testClassNames;

    /** @param testClassNames the test class and the superclasses that may declare its test methods */
    public StackTrimmer(Set<String> testClassNames) {
        this.testClassNames = Set.copyOf(testClassNames);
    }

    /** A trimmer that keeps every frame. */
    public static StackTrimmer none() {
        return new StackTrimmer(Set.of());
    }

    public List<Frame> trim(List<Frame> innermostFirst) {
        for (int i = innermostFirst.size() - 1; i >= 0; i--) {
            if (isTestFrame(innermostFirst.get(i))) {
                return innermostFirst.subList(0, i + 1);
            }
        }
        return innermostFirst;
    }

    private boolean isTestFrame(Frame frame) {
        if (!frame.isJava()) {
            return false;
        }
        String className = frame.javaClassName();
        for (String test : testClassNames) {
            if (className.equals(test) || className.startsWith(test + "$")) {
                return true;
            }
        }
        return false;
    }
}
