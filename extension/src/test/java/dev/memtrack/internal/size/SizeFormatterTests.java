package dev.memtrack.internal.size;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SizeFormatterTests {

    @ParameterizedTest
    @CsvSource({
        "0, 0 B",
        "1, 1 B",
        "1023, 1023 B",
        "1024, 1.0 KiB",
        "1536, 1.5 KiB",
        "12288, 12.0 KiB",
        "1048575, 1.0 MiB",
        "2097152, 2.0 MiB",
        "3333333, 3.2 MiB",
        "8388608, 8.0 MiB",
        "1610612736, 1.5 GiB",
        "5497558138880, 5120.0 GiB",
    })
    void writesBinaryUnitsWithOneDecimal(long bytes, String text) {
        assertThat(SizeFormatter.format(bytes)).isEqualTo(text);
    }
}
