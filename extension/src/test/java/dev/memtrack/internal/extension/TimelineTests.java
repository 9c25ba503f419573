package dev.memtrack.internal.extension;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.TimelinePoint;
import org.junit.jupiter.api.Test;

class TimelineTests {

    @Test
    void keepsEverySampleUpToTheBound() {
        Timeline timeline = new Timeline();
        for (int i = 0; i < 100; i++) {
            timeline.sample(new TimelinePoint(i * 10L, i, 0));
        }

        assertThat(timeline.points()).hasSize(100);
    }

    @Test
    void thinsEvenlyOnceTheBoundIsReached() {
        Timeline timeline = new Timeline();
        int samples = Timeline.MAX_POINTS * 3;
        for (int i = 0; i < samples; i++) {
            timeline.sample(new TimelinePoint(i * 10L, i, 0));
        }
        timeline.mark(new TimelinePoint(samples * 10L, -1, 0));

        assertThat(timeline.points()).hasSizeLessThan(Timeline.MAX_POINTS + 1).hasSizeGreaterThan(Timeline.MAX_POINTS / 2);
        assertThat(timeline.points()).extracting(TimelinePoint::offsetMillis).isSorted();
        assertThat(timeline.points().get(0).offsetMillis()).isZero();
        assertThat(timeline.points()).last().extracting(TimelinePoint::nativeLiveBytes).isEqualTo(-1L);
    }
}
