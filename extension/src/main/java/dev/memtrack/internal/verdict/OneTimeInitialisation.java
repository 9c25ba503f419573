package dev.memtrack.internal.verdict;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Site;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Memory that stays allocated because something happened for the first time in the process —
 * a class was loaded or initialised, a native library was loaded — is one-time initialisation,
 * not a leak (product.md, "Leak"): a JDK or library cache filled once and reused forever. A site
 * is such when its merged stack passes through a class initialiser or through class or library
 * loading. It still shows in reports; only the leak verdict leaves it out. A cache that keeps
 * growing when the code repeats is judged by the repeat mode, not here.
 */
@API(status = INTERNAL, since = "0.1")
public final class OneTimeInitialisation {

    /** Java methods (class.method) whose presence on the stack marks loading work. */
    private static final Set<String> LOADING_METHODS = Set.of(
            "java.lang.ClassLoader.loadClass",
            "java.lang.ClassLoader.defineClass1",
            "java.lang.ClassLoader.defineClass2",
            "java.lang.Class.forName0",
            "jdk.internal.loader.BuiltinClassLoader.loadClassOrNull",
            "java.lang.System.load",
            "java.lang.System.loadLibrary",
            "java.lang.Runtime.load0",
            "java.lang.Runtime.loadLibrary0",
            "jdk.internal.loader.NativeLibraries.load",
            "com.sun.jna.NativeLibrary.loadLibrary",
            "com.sun.jna.Native.loadNativeDispatchLibrary");

    private OneTimeInitialisation() {
    }

    public static boolean matches(Site site) {
        for (Frame frame : site.frames()) {
            if (frame.isJava() && ("<clinit>".equals(frame.methodName()) || LOADING_METHODS.contains(frame.symbol()))) {
                return true;
            }
        }
        return false;
    }
}
