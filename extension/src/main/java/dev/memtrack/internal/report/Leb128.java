package dev.memtrack.internal.report;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * LEB128 variable-length integers: seven bits per byte, low bits first, high bit set on every
 * byte but the last. Most numbers in a capture (indices, counts, small sizes) fit in one or two
 * bytes, which is what keeps the format compact without a schema library.
 *
 * <p>Unsigned values carry the full 64-bit pattern, so a negative long still round-trips (in ten
 * bytes). Signed values go through zigzag ({@code 0,-1,1,-2 -> 0,1,2,3}) so small negative
 * numbers, such as timeline deltas or the native-method line {@code -2}, stay short.
 */
final class Leb128 {

    /** A 64-bit value never needs more than ten 7-bit groups. */
    private static final int MAX_BYTES = 10;

    private Leb128() {
    }

    static void writeUnsigned(DataOutput out, long value) throws IOException {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static void writeSigned(DataOutput out, long value) throws IOException {
        writeUnsigned(out, (value << 1) ^ (value >> 63));
    }

    static long readUnsigned(DataInput in) throws IOException {
        long result = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            int b = in.readUnsignedByte();
            result |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CaptureFormatException("a variable-length integer is longer than " + MAX_BYTES + " bytes");
    }

    static long readSigned(DataInput in) throws IOException {
        long zigzag = readUnsigned(in);
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }
}
