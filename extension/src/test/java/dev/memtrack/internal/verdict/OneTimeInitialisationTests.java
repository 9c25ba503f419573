package dev.memtrack.internal.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneTimeInitialisationTests {

    private static Site site(long live, String javaFrame) {
        return new Site(Domain.NATIVE, Origin.JNI_LIBRARY, live, 1, live, 1, live, 1, List.of(
                new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0),
                new Frame(Frame.Kind.JAVA, javaFrame, "", "A.java", 3)));
    }

    @Test
    void oneTimeInitialisationIsSetAsideFromTheLiveFigures() {
        Site clinit = site(100, "com.acme.Codec.<clinit>");
        Site cache = site(50, "com.acme.Cache.put");
        ScopeReport report = new ScopeReport(Domain.NATIVE, new Figures(300, 3, 0, 0, 150, 2, 300), List.of(clinit, cache));

        ScopeReport judged = OneTimeInitialisation.setAside(report);

        assertThat(judged.figures()).isEqualTo(new Figures(300, 3, 0, 0, 50, 1, 300));
        assertThat(judged.sites()).containsExactly(
                new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 100, 1, 0, 0, 100, 1, clinit.frames()), cache);
        assertThat(VerdictKind.LEAK.siteBytes(judged.sites().get(0))).isZero();
        assertThat(Measurement.ofNative(judged).total(VerdictKind.LEAK, DomainSelection.ANY).bytes()).isEqualTo(50);
    }

    @Test
    void aReportWithoutOneTimeInitialisationIsUnchanged() {
        ScopeReport report = new ScopeReport(Domain.NATIVE, new Figures(300, 3, 0, 0, 150, 2, 300),
                List.of(site(150, "com.acme.Cache.put")));

        assertThat(OneTimeInitialisation.setAside(report)).isSameAs(report);
    }

    @Test
    void classAndLibraryLoadingCountAsOneTime() {
        assertThat(OneTimeInitialisation.matches(site(1, "java.lang.System.loadLibrary"))).isTrue();
        assertThat(OneTimeInitialisation.matches(site(1, "java.lang.ClassLoader.defineClass1"))).isTrue();
        assertThat(OneTimeInitialisation.matches(site(1, "com.acme.Cache.load"))).isFalse();
    }

    /** A leaked site allocated through the given Java frames and retained along {@code path}. */
    private static Site leaked(List<String> path, String... javaFrames) {
        List<Frame> frames = new java.util.ArrayList<>();
        frames.add(new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0));
        for (String frame : javaFrames) {
            frames.add(new Frame(Frame.Kind.JAVA, frame, "", "A.java", 3));
        }
        return new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 4096, 1, 4096, 1, 4096, 1, frames, path, "owned by: x");
    }

    private static ScopeReport reportOf(Site site) {
        return new ScopeReport(Domain.NATIVE, new Figures(4096, 1, 0, 0, 4096, 1, 4096), List.of(site));
    }

    private static final ClassLoader LOADER = OneTimeInitialisationTests.class.getClassLoader();
    // JNA's classes come from its jar; this project's from a class directory
    private static final String JNA_JAR = "jna-" + com.sun.jna.Native.VERSION + ".jar";

    @Test
    void aLibraryStaticFirstInitialisedDuringTheTestHoldsItsOwnFirstUse() {
        Site site = leaked(List.of("static com.sun.jna.Native.POINTER", "com.sun.jna.Memory.peer"),
                "com.sun.jna.Memory.<init>", "com.acme.StoreTest.writesKeys");

        ScopeReport judged = OneTimeInitialisation.setAsideLibraryFirstUse(reportOf(site),
                "com.sun.jna.Native"::equals, LOADER);

        assertThat(judged.figures().liveBytes()).isZero();
        assertThat(judged.sites().get(0).liveBytes()).isZero();
        assertThat(judged.sites().get(0).retainedBy()).isEqualTo(site.retainedBy());
        assertThat(judged.sites().get(0).ownedBy()).isEqualTo("set aside: one-time initialisation of " + JNA_JAR
                + " (com.sun.jna.Native, which holds it, was first initialised during this test)");
    }

    @Test
    void aLibraryStaticInitialisedBeforeTheTestSetsAsideOnlyItsFirstFill() {
        ClassLoader jvm = new ClassLoader(LOADER) { }; // the library roots of one test JVM are its loader's
        List<String> path = List.of("static com.sun.jna.Native.POINTER", "com.sun.jna.Memory.peer");
        ScopeReport first = reportOf(leaked(path, "com.sun.jna.Memory.<init>", "com.acme.PoolTest.first"));

        ScopeReport judged = OneTimeInitialisation.setAsideLibraryFirstUse(first, name -> false, jvm);

        assertThat(judged.figures().liveBytes()).isZero();
        assertThat(judged.sites().get(0).ownedBy()).isEqualTo("set aside: one-time initialisation of " + JNA_JAR
                + " (the first memory its state holds at the end of a test in this JVM;"
                + " more held by it in a later test is a leak)");
        // the same test judged again (assertNoLeaks() in its body, then after its teardown): still its first fill
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(first, name -> false, jvm).figures().liveBytes()).isZero();
        OneTimeInitialisation.rememberLibraryRoots(judged.sites(), jvm);

        ScopeReport later = reportOf(leaked(path, "com.sun.jna.Memory.<init>", "com.acme.PoolTest.second"));
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(later, name -> false, jvm)).isSameAs(later);
        // the library's state reached another way (a thread's cache of the same pool) is the same library's
        ScopeReport throughAThread = reportOf(leaked(List.of("thread \"main\"", "java.lang.Thread.threadLocals",
                "java.lang.ThreadLocal$ThreadLocalMap.table", "[3]", "java.lang.ThreadLocal$ThreadLocalMap$Entry.value",
                "com.sun.jna.Native.cache", "com.sun.jna.Memory.peer"), "com.sun.jna.Memory.<init>", "com.acme.PoolTest.third"));
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(throughAThread, name -> false, jvm)).isSameAs(throughAThread);
        // another test JVM (class loader) fills its own roots once
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(later, name -> false, new ClassLoader(LOADER) { })
                .figures().liveBytes()).isZero();
    }

    @Test
    void aLeakRememberedAtATestsEndMakesTheRootsLaterMemoryALeak() {
        ClassLoader jvm = new ClassLoader(LOADER) { };
        Site leakedBefore = leaked(List.of("static com.sun.jna.Native.POINTER", "com.sun.jna.Memory.peer"),
                "com.sun.jna.Memory.<init>");
        OneTimeInitialisation.rememberLibraryRoots(List.of(leakedBefore), jvm);
        // the project's own statics and the JDK's are not a library's: nothing to remember
        OneTimeInitialisation.rememberLibraryRoots(List.of(leaked(List.of("static dev.memtrack.internal.model.Site.NO_OWNER"),
                "com.sun.jna.Memory.<init>")), jvm);

        ScopeReport report = reportOf(leakedBefore);
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(report, name -> false, jvm)).isSameAs(report);
    }

    @Test
    void theProjectsOwnStaticsAndLibraryObjectsTheTestParksStayLeaks() {
        // a registry in the project's own code (a class directory), initialised during the test
        Site registry = leaked(List.of("static dev.memtrack.internal.model.Site.NO_OWNER"), "com.sun.jna.Memory.<init>",
                "dev.memtrack.internal.model.Site.<init>");
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(reportOf(registry), name -> true, LOADER).figures().liveBytes())
                .isEqualTo(4096);
        // a library static holding memory that only other code allocated
        Site foreign = leaked(List.of("static com.sun.jna.Native.POINTER"), "org.assertj.core.api.Assertions.assertThat");
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(reportOf(foreign), name -> true, LOADER).figures().liveBytes())
                .isEqualTo(4096);
        // a library object the test parked in a thread-local of its own: the object holding the memory is no pool
        Site parked = leaked(List.of("thread \"main\"", "java.lang.Thread.threadLocals", "java.lang.ThreadLocal$ThreadLocalMap.table",
                "[3]", "java.lang.ThreadLocal$ThreadLocalMap$Entry.value", "com.sun.jna.Memory.peer"), "com.sun.jna.Memory.<init>");
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(reportOf(parked), name -> true, LOADER).figures().liveBytes())
                .isEqualTo(4096);
    }

    @Test
    void aLibrarysPerThreadCacheFirstMadeDuringTheTestIsItsFirstUse() {
        Site site = leaked(List.of("thread \"main\"", "java.lang.Thread.threadLocals", "java.lang.ThreadLocal$ThreadLocalMap.table",
                "[3]", "java.lang.ThreadLocal$ThreadLocalMap$Entry.value", "com.sun.jna.Native.cache", "com.sun.jna.Memory.peer"),
                "com.sun.jna.Memory.<init>");

        ClassLoader jvm = new ClassLoader(LOADER) { };
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(reportOf(site), "com.sun.jna.Native"::equals, jvm)
                .figures().liveBytes()).isZero();
        // set up before the test: the first memory this thread's entry into the library holds is still its first fill...
        ScopeReport firstFill = OneTimeInitialisation.setAsideLibraryFirstUse(reportOf(site), name -> false, jvm);
        assertThat(firstFill.sites().get(0).ownedBy()).isEqualTo("set aside: one-time initialisation of " + JNA_JAR
                + " (the first memory its state holds at the end of a test in this JVM;"
                + " more held by it in a later test is a leak)");
        OneTimeInitialisation.rememberLibraryRoots(firstFill.sites(), jvm);
        // ...and what it holds in a later test is a leak, the memory's own holder initialised or not
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(reportOf(site), "com.sun.jna.Memory"::equals, jvm)
                .figures().liveBytes()).isEqualTo(4096);
        assertThat(OneTimeInitialisation.setAsideLibraryFirstUse(reportOf(site), "com.sun.jna.Native"::equals, jvm)
                .figures().liveBytes()).isZero();
    }

    private static List<Frame> javaStack(String... symbols) {
        return java.util.Arrays.stream(symbols).map(symbol -> new Frame(Frame.Kind.JAVA, symbol, "", "A.java", 3)).toList();
    }

    private static OneTimeInitialisation.Holding held(OneTimeInitialisation.Root root, String staticOwner, String objectClass,
                                                       boolean objectPublic, boolean throughMetadata) {
        return new OneTimeInitialisation.Holding(root, staticOwner, objectClass, objectPublic, throughMetadata, List.of());
    }

    @Test
    void aHeapObjectIsJudgedByItsStackAndByWhatHoldsIt() {
        var projectStatic = held(OneTimeInitialisation.Root.STATIC, "com.acme.Cache", "java.util.HashMap$Node", false, false);
        // allocated in a class initialiser, or while classes or libraries were loaded
        assertThat(OneTimeInitialisation.heldOnce(javaStack("com.acme.Table.<clinit>"), projectStatic)).isEqualTo("class initialisation");
        assertThat(OneTimeInitialisation.heldOnce(javaStack("com.acme.Codec.init", "java.lang.System.loadLibrary"), projectStatic))
                .isEqualTo("class loading and linking");
        // a class mirror, or held through class metadata
        assertThat(OneTimeInitialisation.heldOnce(javaStack("com.acme.CacheTest.leaks"),
                held(OneTimeInitialisation.Root.OTHER, "-", "java.lang.Class", true, true))).isEqualTo("class loading and linking");
        // a JDK class loader's own state (the JVM allocates a class-loading lock's name while it resolves a class)
        assertThat(OneTimeInitialisation.heldOnce(javaStack("com.acme.CacheTest.patterns"),
                new OneTimeInitialisation.Holding(OneTimeInitialisation.Root.OTHER, "-", "java.lang.String", true, false,
                        List.of("JNI global", "jdk.internal.loader.ClassLoaders$AppClassLoader.parallelLockMap",
                                "java.util.concurrent.ConcurrentHashMap.table", "[275]", "java.util.concurrent.ConcurrentHashMap$Node.key"))))
                .isEqualTo("class loading and linking");
        // ...not an application class loader's field, nor an application object merely reached through one
        assertThat(OneTimeInitialisation.heldOnce(javaStack("com.acme.CacheTest.plugins"),
                new OneTimeInitialisation.Holding(OneTimeInitialisation.Root.OTHER, "-", "com.acme.Plugin", true, false,
                        List.of("JNI global", "com.acme.PluginLoader.loaded", "java.util.ArrayList.elementData", "[0]")))).isNull();
        // the JVM's own handles, whoever allocated the object
        assertThat(OneTimeInitialisation.heldOnce(javaStack("com.acme.CacheTest.leaks"),
                held(OneTimeInitialisation.Root.JVM, "-", "java.lang.invoke.MethodType", true, false))).isEqualTo("held by the JVM");
        // a JDK cache the JDK filled, or a JDK object no application code can make
        assertThat(OneTimeInitialisation.heldOnce(javaStack("java.time.ZoneId.of", "com.acme.CacheTest.zones"),
                held(OneTimeInitialisation.Root.STATIC, "java.time.ZoneRegion", "java.time.ZoneRegion", false, false)))
                .isEqualTo("JDK or test-framework cache");
        assertThat(OneTimeInitialisation.heldOnce(javaStack("com.acme.CacheTest.handles"),
                held(OneTimeInitialisation.Root.THREAD_LOCALS, "-", "java.lang.invoke.ResolvedMethodName", false, false)))
                .isEqualTo("JDK or test-framework cache");
        // leaks: the project's static; an application object parked in a JDK registry; a public JDK object the test made
        assertThat(OneTimeInitialisation.heldOnce(javaStack("com.acme.Cache.fill"), projectStatic)).isNull();
        assertThat(OneTimeInitialisation.heldOnce(javaStack("com.acme.Hook.<init>", "com.acme.CacheTest.hooks"),
                held(OneTimeInitialisation.Root.STATIC, "java.lang.ApplicationShutdownHooks", "com.acme.Hook", true, false))).isNull();
        assertThat(OneTimeInitialisation.heldOnce(javaStack("com.acme.CacheTest.lists"),
                held(OneTimeInitialisation.Root.STATIC, "java.lang.ApplicationShutdownHooks", "java.util.ArrayList", true, false)))
                .isNull();
    }
}
