package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReportFileNamesTests {

    @Test
    void keepsLettersDigitsAndTheAllowedPunctuation() {
        assertThat(ReportFileNames.sanitize("com.acme.Outer$Inner")).isEqualTo("com.acme.Outer$Inner");
        assertThat(ReportFileNames.sanitize("repeated[2]_x-y")).isEqualTo("repeated[2]_x-y");
        assertThat(ReportFileNames.sanitize("größe")).isEqualTo("größe");
    }

    @Test
    void replacesEverythingElse() {
        assertThat(ReportFileNames.sanitize("a/b\\c:d*e?f\"g<h>i|j k\u0000l")).isEqualTo("a_b_c_d_e_f_g_h_i_j_k_l");
        assertThat(ReportFileNames.sanitize("m(int, String)")).isEqualTo("m_int__String_");
        assertThat(ReportFileNames.sanitize("😀")).isEqualTo("_");
    }

    @Test
    void neverYieldsAnEmptyOrRelativeName() {
        assertThat(ReportFileNames.sanitize("")).isEqualTo("_");
        assertThat(ReportFileNames.sanitize(null)).isEqualTo("_");
        assertThat(ReportFileNames.sanitize(".")).isEqualTo("_");
        assertThat(ReportFileNames.sanitize("..")).isEqualTo("_");
    }

    @Test
    void shortensLongNamesKeepingThemDistinct() {
        String a = "x".repeat(300) + "a";
        String b = "x".repeat(300) + "b";

        String shortA = ReportFileNames.sanitize(a);

        assertThat(shortA.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(150);
        assertThat(shortA).startsWith("xxxxxxxx").isNotEqualTo(ReportFileNames.sanitize(b));
        assertThat(ReportFileNames.sanitize("ü".repeat(200)).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(150);
    }

    @Test
    void theReportSitsBesideItsCapture() {
        assertThat(ReportFileNames.htmlBeside(Path.of("r", "a.B", "m[1].mtcap"))).isEqualTo(Path.of("r", "a.B", "m[1].html"));
    }
}
