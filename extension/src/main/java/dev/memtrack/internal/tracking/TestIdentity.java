package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.message.StackTrimmer;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Which test invocation is tracked: names for files and messages.
 *
 * @param testMethod the method name; every invocation index in the unique id adds {@code [n]}, in
 *                   the id's order — a parameterized class's invocation ({@code @ParameterizedClass},
 *                   5.13+), a repeated or parameterized method's, a dynamic container's and a dynamic
 *                   test's — so each invocation gets its own, readable report:
 *                   {@code add[2][3]} is the third invocation of {@code add} in the second of its class
 * @param testClassNames the test class and its superclasses (which may declare the test method),
 *                   for trimming framework frames off stacks
 */
@API(status = INTERNAL, since = "0.1")
public record TestIdentity(String uniqueId, String testClass, String testMethod, String displayName, Set<String> testClassNames) {

    /** A segment {@code [type:#n]} of a unique id: the invocations of templates and dynamic nodes. */
    private static final Pattern INVOCATION_INDEX = Pattern.compile("\\[[a-z-]+:#(\\d+)]");

    public TestIdentity {
        testClassNames = Set.copyOf(testClassNames);
    }

    /**
     * @param context a test method's context, or a dynamic test's, whose class and method are those
     *                of the nearest enclosing context that has them (the {@code @TestFactory} method's)
     */
    public static TestIdentity of(ExtensionContext context) {
        ExtensionContext methodContext = context;
        while (methodContext.getTestMethod().isEmpty() && methodContext.getParent().isPresent()) {
            methodContext = methodContext.getParent().get();
        }
        Class<?> testClass = methodContext.getRequiredTestClass();
        StringBuilder method = new StringBuilder(methodContext.getRequiredTestMethod().getName());
        Matcher index = INVOCATION_INDEX.matcher(context.getUniqueId());
        while (index.find()) {
            method.append('[').append(index.group(1)).append(']');
        }
        Set<String> classNames = new LinkedHashSet<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            classNames.add(c.getName());
        }
        return new TestIdentity(context.getUniqueId(), testClass.getName(), method.toString(), context.getDisplayName(), classNames);
    }

    /** {@code com.acme.FooTest.bar}, as messages name the test. */
    public String element() {
        return testClass + "." + testMethod;
    }

    StackTrimmer trimmer() {
        return new StackTrimmer(testClassNames);
    }
}
