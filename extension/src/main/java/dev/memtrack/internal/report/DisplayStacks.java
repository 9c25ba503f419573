package dev.memtrack.internal.report;

import dev.memtrack.internal.message.StackTrimmer;
import dev.memtrack.internal.model.TestCapture;
import java.util.Set;

/**
 * Stacks as the report shows them: without the frames below the test method (JUnit's engine,
 * reflection, Surefire), by the same rule as the failure messages. Those frames are the same
 * dozens on every stack; they would only make flame graphs taller and reports heavier. Stacks
 * that never pass through the test class (threads it started) stay whole, down to their thread
 * root. The capture file itself keeps every frame.
 */
final class DisplayStacks {

    private DisplayStacks() {
    }

    /**
     * A trimmer for the capture's test class. The capture does not record superclasses, so a
     * test method inherited from a base class keeps its framework frames.
     */
    static StackTrimmer trimmer(TestCapture capture) {
        String testClass = capture.testClass();
        return testClass == null || testClass.isEmpty() ? StackTrimmer.none() : new StackTrimmer(Set.of(testClass));
    }
}
