package dev.memtrack.internal.size;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizeParserTests {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "512, 512",
        "512B, 512",
        "512b, 512",
        "64KB, 65536",
        "64kb, 65536",
        "64 KB, 65536",
        "64KiB, 65536",
        "64kib, 65536",
        "10MB, 10485760",
        "10MiB, 10485760",
        "1.5GB, 1610612736",
        "1.5 GiB, 1610612736",
        "0.5KB, 512",
        "2GB, 2147483648",
        "8589934591GB, 9223372035781033984",
    })
    void readsSizesWithBinaryMultipliers(String text, long bytes) {
        assertThat(SizeParser.parse(text)).isEqualTo(bytes);
    }

    @Test
    void toleratesSurroundingWhitespace() {
        assertThat(SizeParser.parse(" 10MB ")).isEqualTo(10L << 20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10 MBs", "", "MB", "10  MB", "ten MB", "10TB", "1,5MB", "10M", "1e3B", ".5KB"})
    void rejectsWhatIsNotASize(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SizeParser.parse(text))
                .withMessage("'" + text + "' is not a size; expected a number with an optional unit B, KB, MB, GB, KiB, MiB or GiB"
                        + " (1 KB = 1024 B), e.g. \"512B\", \"64KB\", \"1.5GB\"");
    }

    @Test
    void rejectsNegativeSizes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SizeParser.parse("-1MB"))
                .withMessage("'-1MB' is negative; expected a size of 0 or more, e.g. \"0\", \"512B\", \"64KB\"");
    }

    @Test
    void rejectsFractionsOfABytes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SizeParser.parse("1.5B"))
                .withMessage("'1.5B' is a fraction of a byte; expected whole bytes or a larger unit, e.g. \"1536B\" or \"1.5KB\"");
        assertThatIllegalArgumentException().isThrownBy(() -> SizeParser.parse("1.5"));
    }

    @Test
    void rejectsSizesBeyondALong() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SizeParser.parse("8589934592GB"))
                .withMessage("'8589934592GB' is too large; the largest size is 9223372036854775807 B");
        assertThatIllegalArgumentException().isThrownBy(() -> SizeParser.parse("99999999999999999999"));
    }

    @Test
    void rejectsNull() {
        assertThatIllegalArgumentException().isThrownBy(() -> SizeParser.parse(null)).withMessageStartingWith("null is not a size;");
    }
}
