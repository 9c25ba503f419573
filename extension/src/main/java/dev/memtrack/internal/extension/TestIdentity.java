package dev.memtrack.internal.extension;

import dev.memtrack.internal.message.StackTrimmer;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Which test invocation is tracked: names for files and messages.
 *
 * @param testMethod the method name; repeated and parameterized invocations add {@code [n]}, the
 *                   invocation index from the unique id, so each gets its own report
 * @param testClassNames the test class and its superclasses (which may declare the test method),
 *                   for trimming framework frames off stacks
 */
record TestIdentity(String uniqueId, String testClass, String testMethod, String displayName, Set<String> testClassNames) {

    private static final Pattern INVOCATION_INDEX = Pattern.compile("-invocation:#(\\d+)]$");

    TestIdentity {
        testClassNames = Set.copyOf(testClassNames);
    }

    static TestIdentity of(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        String method = context.getRequiredTestMethod().getName();
        Matcher index = INVOCATION_INDEX.matcher(context.getUniqueId());
        if (index.find()) {
            method += "[" + index.group(1) + "]";
        }
        Set<String> classNames = new LinkedHashSet<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            classNames.add(c.getName());
        }
        return new TestIdentity(context.getUniqueId(), testClass.getName(), method, context.getDisplayName(), classNames);
    }

    /** {@code com.acme.FooTest.bar}, as messages name the test. */
    String element() {
        return testClass + "." + testMethod;
    }

    StackTrimmer trimmer() {
        return new StackTrimmer(testClassNames);
    }
}
