package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrack.internal.model.TestCapture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged and foreign captures, made by seeded random mutations of real captures: reading one
 * either returns a capture or throws a {@link CaptureFormatException} with a one-line message
 * naming the source; never another exception, an {@link OutOfMemoryError} or a hang. The
 * mutations are made both on the file (mostly caught by the gzip CRC) and on the decompressed
 * body re-compressed, which reaches every section decoder. The seed is fixed: a failure names
 * the round and is reproducible.
 */
@Timeout(60) // a hang in the decoder fails the test instead of the build
class CaptureFuzzTests {

    private static final long SEED = 0x6d656d747261636bL;
    private static final int ROUNDS = 4000;

    @Test
    void mutatedBodiesGiveACaptureOrAOneLineFormatError() throws IOException {
        List<byte[]> bodies = List.of(body(CaptureRoundTripTests.encode(CaptureFixtures.leakingTest())),
                body(CaptureRoundTripTests.encode(CaptureFixtures.managedLeak())));
        SplittableRandom random = new SplittableRandom(SEED);
        int rejected = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] body = mutate(bodies.get(random.nextInt(bodies.size())), random);
            rejected += readsOrRejectsCleanly(file(body), "round " + round) ? 0 : 1;
        }
        assertThat(rejected).as("mutations rejected (a fuzzer that never hits an error tests nothing)")
                .isGreaterThan(ROUNDS / 2);
    }

    @Test
    void mutatedFilesGiveACaptureOrAOneLineFormatError() throws IOException {
        byte[] original = CaptureRoundTripTests.encode(CaptureFixtures.managedLeak());
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int round = 0; round < ROUNDS / 4; round++) {
            readsOrRejectsCleanly(mutate(original, random), "round " + round);
        }
    }

    @Test
    void handMadeForeignAndDamagedFiles() throws IOException {
        byte[] good = CaptureRoundTripTests.encode(CaptureFixtures.leakingTest());
        // foreign formats: a zip, a bare gzip, an ELF file, a JSON report
        for (byte[] foreign : List.of(new byte[] {'P', 'K', 3, 4}, new byte[] {0x1f, (byte) 0x8b, 8, 0},
                new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1}, "{\"tests\":[]}".getBytes(StandardCharsets.UTF_8))) {
            assertThatThrownBy(() -> read(foreign)).isInstanceOf(CaptureFormatException.class)
                    .hasMessageContaining("not a memtrack capture: expected the magic \"MTCAP\"");
        }
        // every truncation
        for (int length = 0; length < good.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(good, length);
            assertThatThrownBy(() -> read(cut)).as("cut at %d", length).isInstanceOf(CaptureFormatException.class);
        }
        // a section claiming 2^63 bytes, one claiming 2 GiB, and one claiming 10 bytes with 3 bytes there
        assertThatThrownBy(() -> read(file(new byte[] {CaptureFormat.TEST, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f})))
                .hasMessage("Cannot read memtrack capture fuzz: section test claims 9223372036854775807 bytes, more than the"
                        + " 64 MiB a capture's body may hold in all (a corrupt or foreign file)");
        assertThatThrownBy(() -> read(file(new byte[] {CaptureFormat.TEST, (byte) 0xf0, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, 0x07, 1, 2, 3})))
                .hasMessage("Cannot read memtrack capture fuzz: section test claims 2147483632 bytes, more than the"
                        + " 64 MiB a capture's body may hold in all (a corrupt or foreign file)");
        assertThatThrownBy(() -> read(file(new byte[] {CaptureFormat.TEST, 10, 1, 2, 3})))
                .hasMessage("Cannot read memtrack capture fuzz: the file is truncated (it ends before the end marker)");
        // a string claiming more bytes than its section has
        assertThatThrownBy(() -> read(file(new byte[] {CaptureFormat.TEST, 2, (byte) 0xff, 0x7f, CaptureFormat.END})))
                .hasMessage("Cannot read memtrack capture fuzz: corrupt test section: count 16383 exceeds the 0 bytes left");
    }

    /** True when the capture was read, false when rejected cleanly; anything else fails. */
    private static boolean readsOrRejectsCleanly(byte[] file, String round) throws IOException {
        try {
            TestCapture capture = read(file);
            assertThat(capture).as(round).isNotNull();
            return true;
        } catch (CaptureFormatException e) {
            assertThat(e.getMessage()).as(round).startsWith("Cannot read memtrack capture fuzz: ").doesNotContain("\n");
            return false;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            throw new AssertionError(round + ": reading a damaged capture threw " + e, e);
        }
    }

    private static TestCapture read(byte[] file) throws IOException {
        return CaptureReader.read(new ByteArrayInputStream(file), "fuzz");
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] d = original.clone();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            int at = random.nextInt(d.length);
            switch (random.nextInt(5)) {
                case 0 -> d[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> d[at] = (byte) random.nextInt(256);
                case 2 -> d[at] = (byte) (random.nextBoolean() ? 0xff : 0x7f); // long LEB128 runs
                case 3 -> d[at] = 0;
                default -> d = java.util.Arrays.copyOf(d, Math.max(1, at)); // truncation
            }
        }
        return d;
    }

    private static byte[] file(byte[] body) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(CaptureFormat.MAGIC);
        file.write(CaptureFormat.VERSION);
        try (GZIPOutputStream gzip = new GZIPOutputStream(file)) {
            gzip.write(body);
        }
        return file.toByteArray();
    }

    private static byte[] body(byte[] file) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file, 6, file.length - 6))) {
            return in.readAllBytes();
        }
    }
}
