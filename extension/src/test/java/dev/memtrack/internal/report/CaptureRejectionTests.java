package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrack.internal.model.TestCapture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureRejectionTests {

    @TempDir
    Path dir;

    @Test
    void aFileWithoutTheMagicIsRejectedNamingFileAndMagic() throws IOException {
        Path zip = Files.write(dir.resolve("archive.mtcap"), new byte[] {'P', 'K', 3, 4, 0, 1});

        assertThatThrownBy(() -> CaptureReader.read(zip))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage("Cannot read memtrack capture " + zip
                        + ": not a memtrack capture: expected the magic \"MTCAP\" at the start but found bytes 50 4b 03 04 00");
    }

    @Test
    void aTextFileShowsWhatItStartsWith() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.mtcap"), "hello world");

        assertThatThrownBy(() -> CaptureReader.read(text))
                .hasMessageEndingWith("expected the magic \"MTCAP\" at the start but found \"hello\"");
    }

    @Test
    void anEmptyFileIsRejected() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.mtcap"));

        assertThatThrownBy(() -> CaptureReader.read(empty))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageEndingWith("but found an empty file");
    }

    @Test
    void anUnknownVersionIsRejectedNamingTheSupportedOne() throws IOException {
        byte[] bytes = CaptureRoundTripTests.encode(CaptureFixtures.leakingTest());
        bytes[5] = 9;
        Path future = Files.write(dir.resolve("future.mtcap"), bytes);

        assertThatThrownBy(() -> CaptureReader.read(future))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage("Cannot read memtrack capture " + future + ": capture format version 9 is not supported:"
                        + " this memtrack reads versions 1 to 2; render it with the memtrack version that wrote it");
    }

    @Test
    void aTruncatedFileIsRejected() throws IOException {
        byte[] bytes = CaptureRoundTripTests.encode(CaptureFixtures.leakingTest());
        Path cut = Files.write(dir.resolve("cut.mtcap"), Arrays.copyOf(bytes, bytes.length / 2));
        Path noVersion = Files.write(dir.resolve("noversion.mtcap"), Arrays.copyOf(bytes, 5));
        Path noTrailer = Files.write(dir.resolve("notrailer.mtcap"), Arrays.copyOf(bytes, bytes.length - 4));

        assertThatThrownBy(() -> CaptureReader.read(cut))
                .hasMessage("Cannot read memtrack capture " + cut + ": the file is truncated (it ends before the end marker)");
        assertThatThrownBy(() -> CaptureReader.read(noVersion))
                .hasMessageEndingWith("the file is truncated (it ends after the magic, before the format version)");
        assertThatThrownBy(() -> CaptureReader.read(noTrailer)).isInstanceOf(CaptureFormatException.class);
    }

    @Test
    void aCorruptBodyIsRejectedNeverMisread() throws IOException {
        TestCapture capture = CaptureFixtures.leakingTest();
        byte[] bytes = CaptureRoundTripTests.encode(capture);
        int rejected = 0;
        for (int i = 6; i < bytes.length; i++) {
            byte[] corrupt = bytes.clone();
            corrupt[i] ^= 0x5A;
            // gzip ignores some header fields (mtime, OS) and deflate's padding bits, so a flip
            // there may go unnoticed; it must then read back unchanged, never as other figures.
            try {
                assertThat(CaptureReader.read(new ByteArrayInputStream(corrupt), "corrupt")).as("byte %d flipped", i).isEqualTo(capture);
            } catch (CaptureFormatException e) {
                assertThat(e).hasMessageStartingWith("Cannot read memtrack capture corrupt: ");
                rejected++;
            }
        }
        assertThat(rejected).isGreaterThan(bytes.length - 6 - 12);
    }

    @Test
    void sectionsFromANewerWriterAreSkipped() throws IOException {
        TestCapture capture = CaptureFixtures.leakingTest();
        byte[] body = body(CaptureRoundTripTests.encode(capture));
        ByteArrayOutputStream extended = new ByteArrayOutputStream();
        extended.write(body, 0, body.length - 1);
        extended.write(new byte[] {42, 3, 1, 2, 3, CaptureFormat.END});

        assertThat(read(extended.toByteArray())).isEqualTo(capture);
    }

    @Test
    void aMissingSectionIsNamed() {
        assertThatThrownBy(() -> read(new byte[] {CaptureFormat.END}))
                .hasMessage("Cannot read memtrack capture test: the test section is missing");
    }

    @Test
    void sectionsOutOfOrderAreRejected() {
        byte[] body = {CaptureFormat.FIGURES, 1, 0, CaptureFormat.TEST, 0, CaptureFormat.END};

        assertThatThrownBy(() -> read(body))
                .hasMessage("Cannot read memtrack capture test: section test appears after section figures;"
                        + " sections must be in increasing tag order");
    }

    @Test
    void aCountLargerThanTheSectionIsRejectedBeforeAllocating() {
        // FIGURES section of 2 bytes claiming 100 domains.
        byte[] body = {CaptureFormat.TEST, 6, 0, 0, 0, 0, 0, 0, CaptureFormat.FIGURES, 1, 100, CaptureFormat.END};

        assertThatThrownBy(() -> read(body))
                .hasMessage("Cannot read memtrack capture test: corrupt figures section: count 100 exceeds the 0 bytes left");
    }

    @Test
    void aSectionLongerThanACaptureMayHoldIsRejectedBeforeReadingIt() {
        // FIGURES claiming 64 MiB + 1 (LEB128 of 67,108,865 = 0x4000001): a gzip bomb's header
        byte[] body = {CaptureFormat.TEST, 6, 0, 0, 0, 0, 0, 0, CaptureFormat.FIGURES, (byte) 0x81, (byte) 0x80, (byte) 0x80, 0x20};

        assertThatThrownBy(() -> read(body))
                .hasMessage("Cannot read memtrack capture test: section figures claims 67108865 bytes, more than the 64 MiB"
                        + " a capture's body may hold in all (a corrupt or foreign file)");
    }

    @Test
    void sectionsTogetherLongerThanACaptureMayHoldAreRejected() throws IOException {
        // an unknown section of 40 MiB of zeros (compresses to ~40 KiB), then one claiming 30 MiB
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {CaptureFormat.TEST, 6, 0, 0, 0, 0, 0, 0});
        body.write(new byte[] {42, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x14}); // 40 MiB
        body.write(new byte[40 << 20]);
        body.write(new byte[] {43, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x0F}); // 30 MiB

        assertThatThrownBy(() -> read(body.toByteArray()))
                .hasMessageStartingWith("Cannot read memtrack capture test: section ")
                .hasMessageContaining("claims 31457280 bytes, more than the 64 MiB a capture's body may hold in all");
    }

    @Test
    void dataAfterTheEndMarkerIsRejected() {
        assertThatThrownBy(() -> read(new byte[] {CaptureFormat.END, 7}))
                .hasMessageEndingWith("unexpected data after the end marker");
    }

    private static TestCapture read(byte[] body) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write("MTCAP".getBytes(StandardCharsets.US_ASCII));
        file.write(CaptureFormat.VERSION);
        try (GZIPOutputStream gzip = new GZIPOutputStream(file)) {
            gzip.write(body);
        }
        return CaptureReader.read(new ByteArrayInputStream(file.toByteArray()), "test");
    }

    private static byte[] body(byte[] file) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file, 6, file.length - 6))) {
            return in.readAllBytes();
        }
    }
}
