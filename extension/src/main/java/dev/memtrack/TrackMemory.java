package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.memtrack.internal.junit.MemoryTrackingExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tracks the memory of a test: on a test class (all its test methods), on a test method, or on
 * an annotation of your own that carries it. The scope of a test is its test-method invocation;
 * {@code @BeforeEach} and {@code @AfterEach} methods are outside it.
 *
 * <p>Alone, {@code @TrackMemory} measures and records (report entries, capture and report files)
 * without failing anything. Each limit attribute makes a verdict of one figure and fails the test
 * when it is breached, with the same message as the matching {@link MemoryAssertions} call:
 * <ul>
 *   <li>peak limits bound the high-water mark of live memory (fails when peak &gt;= limit);</li>
 *   <li>leak limits are an allowance for memory still live after the test, once GC and cleaners
 *       have settled (fails when leaked &gt; limit);</li>
 *   <li>allocation limits bound the bytes requested during the test (fails when allocated &gt;= limit).</li>
 * </ul>
 * The unprefixed attributes judge native and managed memory combined; the {@code native...} and
 * {@code managed...} ones judge one domain. Managed figures other than allocated bytes are
 * estimates from heap samples (docs/managed-heap.md), and their failure messages say "about".
 *
 * <p>Sizes are written {@code "512B"}, {@code "64KB"}, {@code "10MB"}, {@code "1.5GB"} or
 * {@code "0"}, with 1024 multipliers ({@code KiB}, {@code MiB}, {@code GiB} mean the same);
 * {@code ""} leaves the figure unchecked.
 *
 * <p>Precedence, attribute by attribute: the method's annotation, then the class's (then an
 * enclosing class's, for {@code @Nested} tests), then the configuration parameters
 * {@code memtrack.default.peakLimit}, {@code memtrack.default.leakLimit},
 * {@code memtrack.default.allocationLimit} and {@code memtrack.attribution}, then the defaults.
 * {@code memtrack.enabled=false} turns this annotation into a no-op.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MemoryTrackingExtension.class)
public @interface TrackMemory {

    /** Fails the test when the combined peak reaches this size. */
    String peakLimit() default "";

    /** Fails the test when the native peak reaches this size. */
    String nativePeakLimit() default "";

    /** Fails the test when the managed-heap peak (held bytes, an estimate) reaches this size. */
    String managedPeakLimit() default "";

    /** Fails the test when more than this much memory (combined) is still live after it. */
    String leakLimit() default "";

    /** Fails the test when more than this much native memory is still live after it. */
    String nativeLeakLimit() default "";

    /** Fails the test when more than this much heap is still reachable after it (an estimate from heap samples). */
    String managedLeakLimit() default "";

    /** Fails the test when it allocates this much memory (combined) or more. */
    String allocationLimit() default "";

    /** Fails the test when it allocates this much native memory or more. */
    String nativeAllocationLimit() default "";

    /** Fails the test when it allocates this much heap or more (exact bytes on the test thread). */
    String managedAllocationLimit() default "";

    /** Whose allocations count; see {@link Attribution}. */
    Attribution attribution() default Attribution.DEFAULT;
}
