package dev.memtrack.internal.verdict;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Domain;
import org.apiguardian.api.API;

/** Which domains a check looks at: one of them, or all that were measured (combined). */
@API(status = INTERNAL, since = "0.1")
public enum DomainSelection {
    ANY(null),
    NATIVE(Domain.NATIVE),
    MANAGED(Domain.MANAGED);

    private final Domain only;

    DomainSelection(Domain only) {
        this.only = only;
    }

    /** The selection of exactly {@code domain}. */
    public static DomainSelection of(Domain domain) {
        return domain == Domain.NATIVE ? NATIVE : MANAGED;
    }

    public boolean includes(Domain domain) {
        return only == null || only == domain;
    }

    /** True when narrowed to one domain ({@code nativeMemory()}, {@code nativeLeakLimit}). */
    public boolean isNarrowed() {
        return only != null;
    }

    /** The one domain of a narrowed selection; null for {@link #ANY}. */
    public Domain domain() {
        return only;
    }
}
