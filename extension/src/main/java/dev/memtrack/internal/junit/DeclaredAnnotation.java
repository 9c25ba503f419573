package dev.memtrack.internal.junit;

import dev.memtrack.TrackMemory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A {@code @TrackMemory} (direct, inherited or through a meta-annotation) and the element it is
 * on, as error messages name it: {@code com.acme.FooTest.bar} or {@code com.acme.FooTest}.
 */
record DeclaredAnnotation(TrackMemory annotation, String element) {

    /**
     * The annotations that apply to the test of {@code context}, most specific first: the test
     * method's, the test class's, then those of the classes enclosing a {@code @Nested} class.
     */
    static List<DeclaredAnnotation> find(ExtensionContext context) {
        List<DeclaredAnnotation> found = new ArrayList<>();
        Class<?> testClass = context.getRequiredTestClass();
        context.getTestMethod().ifPresent(method -> AnnotationSupport.findAnnotation(method, TrackMemory.class)
                .ifPresent(a -> found.add(new DeclaredAnnotation(a, methodElement(testClass, method)))));
        for (Class<?> c = testClass; c != null; c = enclosingOfInner(c)) {
            Class<?> annotated = c;
            AnnotationSupport.findAnnotation(c, TrackMemory.class)
                    .ifPresent(a -> found.add(new DeclaredAnnotation(a, annotated.getName())));
        }
        return found;
    }

    private static String methodElement(Class<?> testClass, Method method) {
        return testClass.getName() + "." + method.getName();
    }

    /** @Nested test classes are inner classes; their outer class's annotation applies to them too. */
    private static Class<?> enclosingOfInner(Class<?> c) {
        return c.isMemberClass() && !Modifier.isStatic(c.getModifiers()) ? c.getEnclosingClass() : null;
    }

    /** How messages name an attribute value: {@code @TrackMemory(peakLimit = "10 MBs") on com.acme.FooTest.bar}. */
    String describe(String attribute, String value) {
        return "@TrackMemory(" + attribute + " = " + value + ") on " + element;
    }
}
