package dev.memtrack.internal.verdict;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * Memory that stays allocated because something happened for the first time in the process —
 * a class was loaded or initialised, a native library was loaded — is one-time initialisation,
 * not a leak (product.md, "Leak"): a JDK or library cache filled once and reused forever. A site
 * is such when its merged stack passes through a class initialiser, through class or library
 * loading, or through the linking of an invokedynamic call site. It still shows in reports; only
 * the leak verdict leaves it out. A cache that keeps growing when the code repeats is judged by
 * the repeat mode, not here. This class is the one place that decides it, for both domains; the
 * native side states facts (stacks, what holds an object or a block, which classes were
 * initialised during a test).
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
            "com.sun.jna.Native.loadNativeDispatchLibrary",
            // linking an invokedynamic call site or a dynamic constant (string concatenation,
            // lambdas): the JVM calls up into these once per call site
            "java.lang.invoke.MethodHandleNatives.linkCallSite",
            "java.lang.invoke.MethodHandleNatives.linkDynamicConstant");

    /**
     * Packages of the JDK and of the test frameworks that run inside a scope: their caches and
     * lazily started state are not the test's leaks (memtrack's relocated ByteBuddy and
     * Awaitility too, docs/dependencies.md).
     */
    private static final List<String> PLATFORM_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "org.junit.", "org.opentest4j.", "org.assertj.", "org.awaitility.", "org.hamcrest.",
            "org.apache.maven.surefire.", "net.bytebuddy.", "dev.memtrack.internal.shaded.");

    private OneTimeInitialisation() {
    }

    /** Where the path that keeps an object alive starts (the heap walker's facts). */
    public enum Root {
        /** a static field (the path is cut at the one nearest to the object) */
        STATIC,
        /** a thread, through its thread-locals */
        THREAD_LOCALS,
        /** the JVM's own strong handles (JVMTI's "other" roots) */
        JVM,
        /** any other root: a thread's stack or a JNI reference */
        OTHER
    }

    /**
     * What holds a managed object still reachable after the test, as the heap walker found it.
     *
     * @param staticOwner          the class whose static field the path starts at ({@link Root#STATIC})
     * @param objectClass          the object's class
     * @param objectPublic         whether that class is public
     * @param throughClassMetadata the object is a class mirror, or the path goes through class
     *                             metadata (constant pool, class loader, super types)
     * @param path                 the steps from the root to the object, as "retained by" prints them
     */
    public record Holding(Root root, String staticOwner, String objectClass, boolean objectPublic,
                          boolean throughClassMetadata, List<String> path) {

        public Holding {
            path = List.copyOf(path);
        }
    }

    /**
     * Why a managed object allocated at {@code frames} and held as {@code holding} is one-time
     * initialisation, not a leak — the reason the report gives — or null when it is a leak. The
     * one place this is decided for the heap walker's finds (the native side states facts only):
     * <ol>
     * <li>allocated while a class was initialised, or during class or library loading;</li>
     * <li>held through class metadata, or is a class mirror: class loading and linking;</li>
     * <li>held by the JVM's own handles (the method types and handles it interned while linking
     * call sites, the system class loader's locks): they live as long as the JVM's structures,
     * whoever touched them first — decided by the holder, whatever allocated the object (the JVM
     * allocates such objects natively, so the innermost Java frame is often the test's);</li>
     * <li>held by a JDK or test-framework static, or by a thread-local, and allocated by the JDK
     * or a test framework, or of a JDK class no application code can instantiate (not public:
     * {@code MemberName}'s {@code ResolvedMethodName} in {@code MethodHandles.Lookup}'s table). An
     * application object parked in a JDK registry (a shutdown hook) is none of these.</li>
     * </ol>
     */
    public static String heldOnce(List<Frame> frames, Holding holding) {
        for (Frame frame : frames) {
            if (frame.isJava() && "<clinit>".equals(frame.methodName())) {
                return "class initialisation";
            }
        }
        for (Frame frame : frames) {
            if (frame.isJava() && LOADING_METHODS.contains(frame.symbol())) {
                return "class loading and linking";
            }
        }
        if (holding.throughClassMetadata() || throughJdkClassLoader(holding.path())) {
            return "class loading and linking";
        }
        if (holding.root() == Root.JVM) {
            return "held by the JVM";
        }
        boolean platformRoot = holding.root() == Root.THREAD_LOCALS
                || (holding.root() == Root.STATIC && isPlatform(holding.staticOwner()));
        boolean platformAllocator = !frames.isEmpty() && frames.get(0).isJava() && isPlatform(frames.get(0).javaClassName());
        boolean internalObject = isPlatform(holding.objectClass()) && !holding.objectPublic();
        return platformRoot && (platformAllocator || internalObject) ? "JDK or test-framework cache" : null;
    }

    /**
     * Whether the path goes through a field of one of the JDK's class loaders (its class-loading
     * locks in {@code parallelLockMap}, its packages): the JVM allocates those objects itself
     * while it resolves a class, so no Java frame of loading is on their stack, and the walk
     * reaches the loader through a JNI global or through a class's loader, whichever comes first.
     */
    private static boolean throughJdkClassLoader(List<String> path) {
        for (String step : path) {
            if (step.startsWith("[") || step.startsWith("...") || step.startsWith(STATIC_ROOT) || step.indexOf(' ') >= 0) {
                continue;
            }
            String owner = classOf(step);
            if (isPlatform(owner) && JDK_LOADERS.computeIfAbsent(owner, OneTimeInitialisation::isClassLoader)) {
                return true;
            }
        }
        return false;
    }

    private static final Map<String, Boolean> JDK_LOADERS = new ConcurrentHashMap<>();

    private static boolean isClassLoader(String className) {
        try {
            return ClassLoader.class.isAssignableFrom(Class.forName(className, false, ClassLoader.getPlatformClassLoader()));
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /** Whether the named class is the JDK's or a test framework's. */
    static boolean isPlatform(String className) {
        for (String prefix : PLATFORM_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The report with one-time initialisation set aside: see {@link #setAside}. */
    public static ScopeReport setAside(ScopeReport report) {
        return setAside(report, OneTimeInitialisation::matches);
    }

    /**
     * The report as a leak verdict sees it: sites the predicate says are no leak keep their
     * allocated and peak figures but hold nothing live, and the report's live figures leave them
     * out. The same report when no live site matches.
     */
    public static ScopeReport setAside(ScopeReport report, Predicate<Site> notALeak) {
        return setAsideWith(report, site -> notALeak.test(site)
                ? new Site(site.domain(), site.origin(), site.allocatedBytes(), site.allocatedCount(), 0, 0,
                        site.peakBytes(), site.peakCount(), site.frames(), List.of())
                : null);
    }

    /**
     * The report with each live site that {@code setAside} replaces (a copy holding nothing live,
     * or null to keep the site) replaced, and its live bytes and count taken off the report's.
     */
    static ScopeReport setAsideWith(ScopeReport report, Function<Site, Site> setAside) {
        long bytes = 0;
        long count = 0;
        List<Site> sites = new ArrayList<>(report.sites().size());
        for (Site site : report.sites()) {
            Site aside = site.liveBytes() > 0 ? setAside.apply(site) : null;
            if (aside == null) {
                sites.add(site);
            } else {
                bytes += site.liveBytes();
                count += site.liveCount();
                sites.add(aside);
            }
        }
        if (bytes == 0) {
            return report;
        }
        Figures f = report.figures();
        return new ScopeReport(report.domain(), new Figures(f.allocatedBytes(), f.allocatedCount(), f.freedBytes(),
                f.freedCount(), Math.max(0, f.liveBytes() - bytes), Math.max(0, f.liveCount() - count), f.peakBytes()), sites);
    }

    /**
     * A library's own state set up during the test: a global pool filling its first chunk, a
     * default allocator's first buffers, a pool's cache for the test's thread. A leaked site is
     * that library's one-time initialisation (product rule: "a class initialised during the test")
     * when the library's own code allocated it (a Java frame of a class from a library jar, not
     * from the project's own class directories), the library's own objects hold it, and the class
     * of such a holder was first initialised during this test:
     * <ul>
     * <li>retained by a static field of a class of that jar: that class, or a class of the jar on
     * the path (an interface's constant is initialised long after the interface was linked; the
     * allocator it names is made then);</li>
     * <li>retained by a thread (its thread-locals): a class of that jar on the path;</li>
     * <li>in both, not the object that holds the memory itself (the pool's cache and arena, not
     * a buffer the test parked in a thread-local of its own).</li>
     * </ul>
     * Decided by the holder, not by sites: the project's own statics stay leaks (a registry in the
     * code under test), and so does a library object the test parks in its own static. The site
     * stays in the report, holding nothing leaked, with the reason in its owner line. Memory that
     * the library keeps adding when the code repeats is still a leak: the repeat mode shows it,
     * and so does every later test (docs/test-lifecycle.md, "One-time initialisation").
     *
     * @param initialisedInScope whether the named class was first initialised during the scope
     * @param loader             loads the named classes (the test's class loader)
     */
    public static ScopeReport setAsideLibraryFirstUse(ScopeReport report, Predicate<String> initialisedInScope,
                                                      ClassLoader loader) {
        return setAsideWith(report, site -> {
            String reason = libraryFirstUse(site, initialisedInScope, loader, entry -> heldBefore(loader, entry));
            return reason == null ? null : site.withNothingLive(reason);
        });
    }

    /** The reason a leaked site is a library's one-time initialisation, or null when it is not one. */
    static String libraryFirstUse(Site site, Predicate<String> initialisedInScope, ClassLoader loader,
                                  Predicate<String> entryHeldBefore) {
        List<String> path = site.retainedBy();
        LibraryEntry entry = libraryEntry(path, site, loader);
        if (entry == null) {
            return null;
        }
        List<String> holders = new ArrayList<>();
        for (int i = entry.from(); i < path.size() - 1; i++) { // the last step is the memory's own holder
            String step = path.get(i);
            if (!step.startsWith("[") && !step.startsWith("...")) {
                holders.add(classOf(step.startsWith(STATIC_ROOT) ? step.substring(STATIC_ROOT.length()) : step));
            }
        }
        for (String holder : holders) {
            Path jar = jarOf(holder, loader);
            if (jar != null && entry.jars().contains(jar) && initialisedInScope.test(holder)) {
                return "set aside: one-time initialisation of " + jar.getFileName() + " (" + holder
                        + ", which holds it, was first initialised during this test)";
            }
        }
        if (!entryHeldBefore.test(entry.key())) {
            // the library was set up before this test (e.g. while JUnit made the test instance),
            // but its state fills now: a global pool's first chunk, a per-thread cache's first
            // arena, a cache's first entry
            return "set aside: one-time initialisation of " + entry.library().getFileName() + " (the first memory its state"
                    + " holds at the end of a test in this JVM; more held by it in a later test is a leak)";
        }
        return null;
    }

    /**
     * A site retained by a library's own state: a static field of a class of a jar whose code
     * allocated it, or, under a thread's thread-locals, an object of such a jar (a per-thread
     * cache). Null for any other root — the project's statics, the JDK's, another library's, a
     * library object the test parked in a thread-local of its own. The library it belongs to is
     * the one the test called: the jar of the outermost library frame of the allocation. Keyed by
     * that library, not by the path: a pool's arena is reached from its static and from every
     * thread's cache alike, and which of them the walk finds first is the walk's order.
     *
     * @param from the first step whose class may be the library's holder
     */
    private record LibraryEntry(Path library, Set<Path> jars, int from) {

        String key() {
            return library.toString();
        }
    }

    private static LibraryEntry libraryEntry(List<String> path, Site site, ClassLoader loader) {
        if (path.isEmpty()) {
            return null;
        }
        String root = path.get(0);
        boolean staticRoot = root.startsWith(STATIC_ROOT);
        if (!staticRoot && !(root.startsWith(THREAD_ROOT) && path.size() > 2 && path.get(1).equals(THREAD_LOCALS))) {
            return null; // a root no library's state lives under: decided before any class is looked up
        }
        Set<Path> jars = new LinkedHashSet<>();
        Path library = null;
        for (Frame frame : site.frames()) { // innermost first: the last jar seen is the library the test called
            Path jar = frame.isJava() ? jarOf(classOf(frame.symbol()), loader) : null;
            if (jar != null) {
                jars.add(jar);
                library = jar;
            }
        }
        if (library == null) {
            return null;
        }
        if (staticRoot) {
            Path jar = jarOf(classOf(root.substring(STATIC_ROOT.length())), loader);
            return jar != null && jars.contains(jar) ? new LibraryEntry(library, jars, 0) : null;
        }
        for (int i = 2; i < path.size() - 1; i++) { // the last step is the memory's own holder
            String step = path.get(i);
            Path jar = step.startsWith("[") || step.startsWith("...") ? null : jarOf(classOf(step), loader);
            if (jar != null && jars.contains(jar)) {
                return new LibraryEntry(library, jars, 2);
            }
        }
        return null;
    }

    /**
     * Libraries whose state (see {@link #libraryEntry}) held memory at the end of an earlier
     * test, by the tests' class loader: a library's state fills for the first time once per JVM.
     */
    private static final Map<ClassLoader, Set<String>> HELD_ENTRIES = Collections.synchronizedMap(new WeakHashMap<>());

    private static boolean heldBefore(ClassLoader loader, String entry) {
        Set<String> entries = loader == null ? null : HELD_ENTRIES.get(loader);
        return entries != null && entries.contains(entry);
    }

    /**
     * Remembers the libraries whose state holds the memory of a test's final verdict — leaked or
     * set aside — so that memory their state comes to hold in a later test is judged a leak, not
     * a first fill. Called once per test, after its teardown verdict (an assertion in
     * the body or a block inside the test judges the same first fill again, and sets it aside).
     */
    public static void rememberLibraryRoots(List<Site> judged, ClassLoader loader) {
        if (loader == null) {
            return;
        }
        for (Site site : judged) {
            LibraryEntry entry = libraryEntry(site.retainedBy(), site, loader);
            if (entry != null) {
                HELD_ENTRIES.computeIfAbsent(loader, l -> ConcurrentHashMap.newKeySet()).add(entry.key());
            }
        }
    }

    private static final String STATIC_ROOT = "static ";
    private static final String THREAD_ROOT = "thread \"";
    private static final String THREAD_LOCALS = "java.lang.Thread.threadLocals";

    /** {@code pkg.Class} of {@code pkg.Class.member}. */
    private static String classOf(String member) {
        int dot = member.lastIndexOf('.');
        return dot > 0 ? member.substring(0, dot) : "";
    }

    /** The jar a class was loaded from; null for the JDK, a class directory, or a class not found. */
    private static Path jarOf(String className, ClassLoader loader) {
        if (className.isEmpty()) {
            return null;
        }
        try {
            Class<?> c = Class.forName(className, false, loader);
            CodeSource source = c.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
                return null;
            }
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? path : null;
        } catch (ReflectiveOperationException | LinkageError | URISyntaxException | RuntimeException e) {
            return null;
        }
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
