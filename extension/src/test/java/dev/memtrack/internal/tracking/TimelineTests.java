package dev.memtrack.internal.tracking;

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

    @Test
    void aPeakBetweenTwoSamplesStaysOnThePointThatEndsItsInterval() {
        Timeline timeline = new Timeline();
        timeline.mark(new TimelinePoint(0, 0, 0));
        timeline.sample(new TimelinePoint(1, 100, 0, 1_999_993));
        timeline.mark(new TimelinePoint(2, 100, 0, 150));
        timeline.finish(2_000_003);

        assertThat(timeline.points()).extracting(TimelinePoint::peakBytes).containsExactly(0L, 1_999_993L, 2_000_003L);
    }

    @Test
    void thinningMovesADroppedPointsPeakToTheNextPointKept() {
        Timeline timeline = new Timeline();
        int samples = Timeline.MAX_POINTS * 3 + 1;
        for (int i = 0; i < samples; i++) {
            // one sample, whichever the thinning drops, carries the highest total of the test
            timeline.sample(new TimelinePoint(i, 1, 0, i == 12_345 || i == samples - 1 ? 1_999_993 + i : 7));
        }
        timeline.mark(new TimelinePoint(samples, 1, 0));

        assertThat(timeline.points()).hasSizeLessThan(Timeline.MAX_POINTS + 1);
        assertThat(timeline.points()).filteredOn(p -> p.peakBytes() == 1_999_993 + 12_345).singleElement()
                .extracting(TimelinePoint::offsetMillis).satisfies(at -> assertThat((long) at).isGreaterThanOrEqualTo(12_345));
        assertThat(timeline.points()).filteredOn(p -> p.peakBytes() == 1_999_993 + samples - 1).singleElement()
                .extracting(TimelinePoint::offsetMillis).satisfies(at -> assertThat((long) at).isGreaterThanOrEqualTo(samples - 1));
    }
}
