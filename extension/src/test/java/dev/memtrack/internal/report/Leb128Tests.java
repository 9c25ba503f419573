package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Leb128Tests {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE, -1, -2, Long.MIN_VALUE})
    void unsignedAndSignedValuesRoundTrip(long value) throws IOException {
        assertThat(Leb128.readUnsigned(input(unsigned(value)))).isEqualTo(value);
        assertThat(Leb128.readSigned(input(signed(value)))).isEqualTo(value);
    }

    @Test
    void smallValuesTakeOneByteAndSmallNegativesStayShortWithZigzag() throws IOException {
        assertThat(unsigned(127)).hasSize(1);
        assertThat(unsigned(128)).hasSize(2);
        assertThat(signed(-2)).containsExactly(3);
        assertThat(signed(-64)).hasSize(1);
        assertThat(unsigned(-1)).hasSize(10);
        assertThat(unsigned(300)).containsExactly(0xAC, 0x02);
    }

    @Test
    void anOverlongVarintIsRejected() {
        byte[] eleven = new byte[11];
        java.util.Arrays.fill(eleven, (byte) 0x80);

        assertThatThrownBy(() -> Leb128.readUnsigned(input(eleven)))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage("a variable-length integer is longer than 10 bytes");
    }

    private static byte[] unsigned(long value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Leb128.writeUnsigned(new DataOutputStream(bytes), value);
        return bytes.toByteArray();
    }

    private static byte[] signed(long value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Leb128.writeSigned(new DataOutputStream(bytes), value);
        return bytes.toByteArray();
    }

    private static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
