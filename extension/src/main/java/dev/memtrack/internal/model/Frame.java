package dev.memtrack.internal.model;

/**
 * One frame of a merged stack.
 *
 * @param kind    ALLOCATOR for the hooked allocator entry (malloc, mmap...), NATIVE for a native
 *                frame, JAVA for a Java frame
 * @param symbol  native: demangled function name, or {@code 0x<offset>} when unknown;
 *                Java: {@code fully.qualified.Class.method}
 * @param library native: object base name ({@code libc.so.6}); Java: empty
 * @param file    source file base name, empty when unknown
 * @param line    source line; 0 when unknown; for Java frames -2 marks a native method
 */
public record Frame(Kind kind, String symbol, String library, String file, int line) {

    public enum Kind {
        ALLOCATOR, NATIVE, JAVA
    }

    public static final int NATIVE_METHOD_LINE = -2;

    public boolean isJava() {
        return kind == Kind.JAVA;
    }

    /** Class name of a Java frame ({@code a.b.C} of {@code a.b.C.m}); empty for native frames. */
    public String javaClassName() {
        if (kind != Kind.JAVA) {
            return "";
        }
        int dot = symbol.lastIndexOf('.');
        return dot < 0 ? "" : symbol.substring(0, dot);
    }

    /** Method name of a Java frame; the symbol for native frames. */
    public String methodName() {
        if (kind != Kind.JAVA) {
            return symbol;
        }
        int dot = symbol.lastIndexOf('.');
        return dot < 0 ? symbol : symbol.substring(dot + 1);
    }
}
