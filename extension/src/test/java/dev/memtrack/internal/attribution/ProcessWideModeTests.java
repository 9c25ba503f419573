package dev.memtrack.internal.attribution;

import static dev.memtrack.internal.attribution.AttributionFixture.SIZE;
import static dev.memtrack.internal.attribution.AttributionFixture.allocate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.attribution.AttributionFixture.Allocated;
import dev.memtrack.internal.attribution.AttributionFixture.TestScope;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.PreconditionViolationException;

class ProcessWideModeTests {

    @AfterEach
    void release() {
        AttributionFixture.releaseAll();
    }

    @Test
    void refused_when_junit_runs_tests_in_parallel_with_a_message_naming_the_setting() {
        assertThatThrownBy(() -> ProcessWideMode.refuseIfConcurrent(
                key -> Optional.ofNullable(Map.of("junit.jupiter.execution.parallel.enabled", " TRUE ").get(key))))
                .isInstanceOf(PreconditionViolationException.class)
                .hasMessage("memtrack attribution 'process' records every thread and cannot tell concurrent tests apart;"
                        + " it is refused because junit.jupiter.execution.parallel.enabled=true."
                        + " Use attribution TEST_THREADS (the default) or run tests sequentially.");
    }

    @Test
    void allowed_when_parallel_execution_is_off_or_unset() {
        assertThatNoException().isThrownBy(() -> ProcessWideMode.refuseIfConcurrent(key -> Optional.empty()));
        assertThatNoException().isThrownBy(() -> ProcessWideMode.refuseIfConcurrent(key -> Optional.of("false")));
    }

    @Test
    void threads_without_a_scope_record_into_the_process_wide_scope_until_it_ends() throws Exception {
        NativeTracker tracker = AttributionFixture.trackerWithPropagation();
        try (Outsider outsider = new Outsider(); TestScope scope = new TestScope(tracker)) {
            ProcessWideMode.begin(tracker, scope.id);
            try {
                assertThat(ProcessWideMode.activeScope()).isEqualTo(scope.id);
                outsider.run(() -> allocate(SIZE));
            } finally {
                ProcessWideMode.end(tracker);
            }
            outsider.run(() -> allocate(AttributionFixture.OTHER_SIZE));
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
            assertThat(ProcessWideMode.activeScope()).isZero();
        }
    }

    @Test
    void a_second_process_wide_scope_is_refused_while_one_is_active() {
        NativeTracker tracker = AttributionFixture.trackerWithPropagation();
        try (TestScope first = new TestScope(tracker)) {
            ProcessWideMode.begin(tracker, first.id);
            try {
                assertThatThrownBy(() -> ProcessWideMode.begin(tracker, first.id + 1))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("two tests cannot use process-wide attribution at the same time");
            } finally {
                ProcessWideMode.end(tracker);
            }
        }
    }
}
