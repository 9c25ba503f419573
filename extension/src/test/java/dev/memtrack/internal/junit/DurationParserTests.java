package dev.memtrack.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTests {

    @ParameterizedTest
    @CsvSource({"5s, 5000", "5 s, 5000", "500ms, 500", "2m, 120000", "750, 750", "0, 0", "PT5S, 5000", "PT0.25S, 250"})
    void readsShortFormsMillisAndIso8601(String text, long millis) {
        assertThat(DurationParser.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 sec", "", "s", "5h", "1.5s"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DurationParser.parse(text))
                .withMessage("'" + text + "' is not a duration; " + DurationParser.ALLOWED);
    }

    @Test
    void rejectsNegativeAndHugeDurations() {
        assertThatIllegalArgumentException().isThrownBy(() -> DurationParser.parse("PT-5S"))
                .withMessage("'PT-5S' is negative; expected a duration of 0 or more");
        assertThatIllegalArgumentException().isThrownBy(() -> DurationParser.parse("99999999999999999999"))
                .withMessageStartingWith("'99999999999999999999' is too long a duration;");
    }
}
