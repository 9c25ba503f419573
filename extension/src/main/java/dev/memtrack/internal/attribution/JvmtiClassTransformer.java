package dev.memtrack.internal.attribution;

import dev.memtrack.internal.agent.NativeTracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * Rewrites the JDK classes of {@link PropagationTargets} through libmemtrack's JVMTI
 * ClassFileLoadHook (native/src/class_transformer.c) — no java.lang.instrument, no agent flag.
 * The natives are bound because libmemtrack is System.load-ed by this class's loader.
 *
 * <p>Retransformation may not change a class's shape, so the rewrite only inlines advice into
 * existing methods: no fields, no methods, no type initializer (implementation context disabled,
 * instrumented type frozen). A class that cannot be rewritten is left as it was.
 */
final class JvmtiClassTransformer {

    private static final int FEATURE = Runtime.version().feature();

    private static volatile Map<String, PropagationTargets.Target> targets = Map.of();
    private static final Set<String> REWRITTEN = ConcurrentHashMap.newKeySet();
    /** Internal name -> what went wrong or is missing there, for the install warning. */
    private static final Map<String, String> PROBLEMS = new ConcurrentHashMap<>();

    private JvmtiClassTransformer() {
    }

    /** Registers the names for the ClassFileLoadHook; returns null or why it failed. */
    static native String install0(String[] internalNames);

    /** Retransforms loaded classes (the hook sees their original bytes); returns null or why it failed. */
    static native String retransform0(Class<?>[] classes);

    /**
     * Rewrites every target this JDK has: the ones not loaded yet as they load, the loaded ones
     * by retransformation.
     *
     * @return null, or why the JVM refused (the classes are then unchanged)
     */
    static String install(List<PropagationTargets.Target> list) {
        // loads libmemtrack (once per JVM), which is what binds the two natives above
        NativeTracker.instance();
        Map<String, PropagationTargets.Target> byName = new LinkedHashMap<>();
        list.forEach(target -> byName.put(target.internalName(), target));
        targets = Map.copyOf(byName);
        String error = install0(byName.keySet().toArray(String[]::new));
        if (error != null) {
            return error;
        }
        List<Class<?>> loadedBefore = new ArrayList<>();
        for (PropagationTargets.Target target : list) {
            Class<?> type;
            try {
                // loads it if it was not: the hook then rewrites it on the way in
                type = Class.forName(target.binaryName(), false, null);
            } catch (ClassNotFoundException | LinkageError e) {
                PROBLEMS.put(target.internalName(), "class not found (" + e + ")");
                continue;
            }
            if (!REWRITTEN.contains(target.internalName())) {
                loadedBefore.add(type);
            }
        }
        return loadedBefore.isEmpty() ? null : retransform0(loadedBefore.toArray(Class<?>[]::new));
    }

    /** Classes rewritten so far, by internal name. */
    static Set<String> rewritten() {
        return Set.copyOf(REWRITTEN);
    }

    /** Per class: why it was not (fully) rewritten. */
    static Map<String, String> problems() {
        return Map.copyOf(PROBLEMS);
    }

    /**
     * Called by the ClassFileLoadHook, for registered names only, on the thread that loads or
     * retransforms the class. Never throws: a failure is remembered and the class stays as it is.
     *
     * @return the new class file, or null to leave the class unchanged
     */
    static byte[] transform(String internalName, byte[] classfile) {
        try {
            PropagationTargets.Target target = targets.get(internalName);
            if (target == null) {
                return null;
            }
            byte[] rewritten = rewrite(target, classfile);
            REWRITTEN.add(internalName);
            return rewritten;
        } catch (Throwable t) {
            PROBLEMS.putIfAbsent(internalName, "not rewritten: " + t);
            if (ScopePropagation.isActive()) {
                // a later retransformation (another agent's): the install warning has been written
                PropagationFailures.record("rewriting " + internalName.replace('/', '.'), t);
            }
            return null;
        }
    }

    private static byte[] rewrite(PropagationTargets.Target target, byte[] classfile) {
        String name = target.binaryName();
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(name, classfile), ClassFileLocator.ForClassLoader.ofBootLoader());
        TypePool pool = TypePool.Default.of(locator);
        TypeDescription type = pool.describe(name).resolve();
        DynamicType.Builder<?> builder = new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .with(InstrumentedType.Factory.Default.FROZEN)
                .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                .redefine(type, locator);
        List<String> missing = new ArrayList<>();
        for (PropagationTargets.Rule rule : target.rulesFor(FEATURE)) {
            if (type.getDeclaredMethods().filter(rule.matcher()).isEmpty()) {
                missing.add(rule.methods());
                continue;
            }
            builder = builder.visit(Advice.to(rule.advice()).on(rule.matcher()));
        }
        if (!missing.isEmpty()) {
            PROBLEMS.put(target.internalName(), "no method " + String.join(", ", missing));
        }
        return builder.make(pool).getBytes();
    }
}
