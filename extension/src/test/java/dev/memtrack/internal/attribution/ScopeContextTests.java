package dev.memtrack.internal.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.attribution.AttributionFixture.TestScope;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScopeContextTests {

    private final NativeTracker tracker = AttributionFixture.trackerWithPropagation();

    @Test
    void hooks_are_published_only_while_a_scope_is_entered() {
        assertThat(System.getProperties()).doesNotContainKey(PropagationHooks.EXECUTE);
        try (TestScope outer = new TestScope(tracker)) {
            assertThat(System.getProperties()).containsKey(PropagationHooks.EXECUTE);
            try (TestScope inner = new TestScope(tracker)) {
                assertThat(ScopeContext.current()).isEqualTo(inner.id);
            }
            assertThat(ScopeContext.current()).isEqualTo(outer.id);
            assertThat(System.getProperties()).containsKey(PropagationHooks.RUN);
        }
        assertThat(ScopeContext.current()).isZero();
        assertThat(System.getProperties()).doesNotContainKeys(PropagationHooks.EXECUTE, PropagationHooks.WRAP,
                PropagationHooks.REGISTER, PropagationHooks.RUN, PropagationHooks.DETACH,
                PropagationHooks.VIRTUAL_START, PropagationHooks.VIRTUAL_MOUNT);
    }

    @Test
    void hooks_come_back_when_a_test_replaced_the_system_properties() {
        java.util.Properties saved = System.getProperties();
        try {
            System.setProperties(new java.util.Properties(saved));
            try (TestScope scope = new TestScope(tracker)) {
                assertThat(System.getProperties().get(PropagationHooks.EXECUTE)).isNotNull();
            }
        } finally {
            System.setProperties(saved);
        }
    }

    @Test
    void attach_changes_the_agent_and_the_cached_view_together() {
        long before = ScopeContext.attach(0);
        try (TestScope scope = new TestScope(tracker)) {
            long previous = ScopeContext.attach(0);
            assertThat(previous).isEqualTo(scope.id);
            assertThat(tracker.currentScope()).isZero();
            assertThat(ScopeContext.attach(previous)).isZero();
            assertThat(tracker.currentScope()).isEqualTo(scope.id);
        } finally {
            ScopeContext.attach(before);
        }
    }

    @Test
    void a_thread_started_in_a_scope_sees_the_scope_it_inherited_in_the_agent() throws Exception {
        AtomicLong seen = new AtomicLong(-1);
        try (TestScope scope = new TestScope(tracker)) {
            Thread child = new Thread(() -> seen.set(ScopeContext.current()));
            child.start();
            child.join();
            assertThat(seen.get()).isEqualTo(scope.id);
        }
    }

    @Test
    void a_threads_first_scope_leaves_it_without_a_scope_on_exit() throws Exception {
        AtomicLong during = new AtomicLong(-1);
        AtomicLong after = new AtomicLong(-1);
        Thread fresh = new Thread(() -> {
            try (TestScope scope = new TestScope(tracker)) {
                during.set(ScopeContext.current() == scope.id ? 1 : 0);
                scope.end();
                after.set(ScopeContext.current());
            }
        });
        fresh.start();
        fresh.join();
        assertThat(during.get()).isEqualTo(1);
        assertThat(after.get()).isZero();
    }

    @Test
    void installation_is_complete_and_idempotent() {
        ScopePropagation.ensureInstalled();
        ScopePropagation.ensureInstalled();
        assertThat(ScopePropagation.isActive()).isTrue();
        assertThat(ScopePropagation.limitation()).isEmpty();
        assertThat(JvmtiClassTransformer.rewritten()).contains("java/util/concurrent/ThreadPoolExecutor",
                "java/util/concurrent/ForkJoinTask", "java/util/concurrent/ForkJoinPool$WorkQueue");
        assertThat(PropagationFailures.first()).isNull();
    }
}
