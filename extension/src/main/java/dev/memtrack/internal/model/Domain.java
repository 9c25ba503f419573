package dev.memtrack.internal.model;

/** The two memory worlds memtrack measures. */
public enum Domain {
    NATIVE("native"),
    MANAGED("managed");

    private final String label;

    Domain(String label) {
        this.label = label;
    }

    /** Lower-case word used in messages: "native", "managed". */
    public String label() {
        return label;
    }
}
