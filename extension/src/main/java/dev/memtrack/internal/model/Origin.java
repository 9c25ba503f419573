package dev.memtrack.internal.model;

/** Who asked for an allocation; kept on every site for filtering and reports. */
public enum Origin {
    /** malloc/mmap from a JNI, JNA or FFM library (or libstdc++ on its behalf). */
    JNI_LIBRARY("jni"),
    /** JVM-mediated off-heap memory requested by Java code: Unsafe, direct buffers, FFM arenas. */
    JDK_OFF_HEAP("jdk"),
    /** The JVM's own bookkeeping (JIT, GC, metadata); excluded by default. */
    JVM_INTERNAL("jvm"),
    /** Java-heap objects. */
    JAVA_HEAP("heap");

    private final String code;

    Origin(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Origin fromCode(String code) {
        for (Origin o : values()) {
            if (o.code.equals(code)) {
                return o;
            }
        }
        throw new IllegalArgumentException("Unknown origin code '" + code + "'; expected one of jni, jdk, jvm, heap");
    }
}
