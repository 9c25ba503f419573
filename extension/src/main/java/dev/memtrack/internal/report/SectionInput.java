package dev.memtrack.internal.report;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the payload of one section. Knowing how many bytes are left lets it reject a count or
 * a string length that cannot fit before allocating for it, so a corrupt file fails with a
 * message instead of an {@link OutOfMemoryError}.
 */
final class SectionInput {

    private final String section;
    private final ByteArrayInputStream bytes;
    private final DataInputStream in;

    SectionInput(String section, byte[] payload) {
        this.section = section;
        this.bytes = new ByteArrayInputStream(payload);
        this.in = new DataInputStream(bytes);
    }

    /** Bytes of the payload not read yet: fields a later writer appended to a known section. */
    boolean hasMore() {
        return bytes.available() > 0;
    }

    int u8() throws IOException {
        try {
            return in.readUnsignedByte();
        } catch (EOFException e) {
            throw endsEarly();
        }
    }

    long unsigned() throws IOException {
        try {
            return Leb128.readUnsigned(in);
        } catch (EOFException e) {
            throw endsEarly();
        }
    }

    long signed() throws IOException {
        try {
            return Leb128.readSigned(in);
        } catch (EOFException e) {
            throw endsEarly();
        }
    }

    int signedInt() throws IOException {
        long value = signed();
        if (value != (int) value) {
            throw corrupt("value " + value + " does not fit in 32 bits");
        }
        return (int) value;
    }

    /** A count of items that take at least one byte each, so it cannot exceed what is left. */
    int count() throws IOException {
        long count = unsigned();
        if (count < 0 || count > bytes.available()) {
            throw corrupt("count " + Long.toUnsignedString(count) + " exceeds the " + bytes.available() + " bytes left");
        }
        return (int) count;
    }

    /** An index into a table of {@code size} entries. */
    int index(int size, String table) throws IOException {
        long index = unsigned();
        if (index < 0 || index >= size) {
            throw corrupt(table + " index " + Long.toUnsignedString(index) + " is out of range (table has " + size + " entries)");
        }
        return (int) index;
    }

    String string() throws IOException {
        int length = count();
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    CaptureFormatException corrupt(String detail) {
        return new CaptureFormatException("corrupt " + section + " section: " + detail);
    }

    private CaptureFormatException endsEarly() {
        return new CaptureFormatException("the " + section + " section ends early");
    }
}
