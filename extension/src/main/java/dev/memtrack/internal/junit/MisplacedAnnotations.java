package dev.memtrack.internal.junit;

import dev.memtrack.TrackMemory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.commons.PreconditionViolationException;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * {@code @TrackMemory} on a method that is not a test (a helper, a {@code @BeforeEach}) would
 * silently do nothing: JUnit applies method-level extensions only to tests. Say so instead.
 * Test methods are those whose annotations carry JUnit's {@link Testable} meta-annotation
 * ({@code @Test}, {@code @RepeatedTest}, {@code @ParameterizedTest}, {@code @TestFactory},
 * {@code @TestTemplate}).
 */
final class MisplacedAnnotations {

    private MisplacedAnnotations() {
    }

    static void check(Class<?> testClass) {
        List<Method> misplaced = new ArrayList<>(ReflectionSupport.findMethods(testClass,
                m -> AnnotationSupport.isAnnotated(m, TrackMemory.class) && !AnnotationSupport.isAnnotated(m, Testable.class),
                HierarchyTraversalMode.TOP_DOWN));
        if (misplaced.isEmpty()) {
            return;
        }
        Method first = misplaced.get(0);
        throw new PreconditionViolationException("@TrackMemory on " + first.getDeclaringClass().getName() + "." + first.getName()
                + "() has no effect: it is not a test method. Put @TrackMemory on the test class or on a @Test, "
                + "@RepeatedTest, @ParameterizedTest, @TestFactory or @TestTemplate method"
                + (misplaced.size() > 1 ? " (" + (misplaced.size() - 1) + " more misplaced)" : "") + ".");
    }
}
