package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** The three figures a baseline keeps per domain, with their JSON and configuration names. */
@API(status = INTERNAL, since = "0.1")
public enum Figure {
    PEAK("peak"),
    ALLOCATED("allocated"),
    LEAKED("leaked");

    private final String label;

    Figure(String label) {
        this.label = label;
    }

    /** {@code peak}, {@code allocated}, {@code leaked}: the JSON key, the configuration suffix, the word in messages. */
    public String label() {
        return label;
    }
}
