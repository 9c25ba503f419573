package dev.memtrack.internal.agent;

/**
 * The JNI entry of the managed leak check (native/src/heap_walker.c). JNI rather than JNA because
 * the walk needs object references: the test instance to stay out of, the test thread whose stack
 * is not a root. Bound by the class loader that loaded libmemtrack (NativeAgentLoader's).
 */
final class HeapWalker {

    private HeapWalker() {
    }

    /**
     * The leak text (format in docs/managed-heap.md) for the objects sampled in {@code scope}
     * that are still reachable from roots other than {@code testThread}'s stack and
     * {@code testInstance}, with the facts of what holds them (judged by HeapWalkerParser and
     * OneTimeInitialisation); null for an invalid scope. No walk when the scope's sampled objects
     * still alive weigh less than {@code below} bytes in all (0: always walk): no site could then
     * reach the sampled mode's resolution.
     */
    static native String findLeaks0(long scope, Object testInstance, Thread testThread, long below);

    /**
     * The native report of {@code scope} (memtrack_scope_report's text) with the owner lines of the
     * native owner check after each site that has live blocks: the Java object holding an address
     * inside them and its path from a GC root ({@code testThread}'s stack and {@code testInstance}
     * left out). Without owner lines when the check cannot run (managed tracking off); null for
     * an invalid scope. Walks the heap only when the scope has live blocks.
     */
    static native String nativeReportWithOwners0(long scope, Object testInstance, Thread testThread);
}
