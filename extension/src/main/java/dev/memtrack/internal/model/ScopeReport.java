package dev.memtrack.internal.model;

import java.util.List;

/** A scope's figures and sites for one domain, as read from the tracker. */
public record ScopeReport(Domain domain, Figures figures, List<Site> sites) {

    public ScopeReport {
        sites = List.copyOf(sites);
    }

    public static ScopeReport empty(Domain domain) {
        return new ScopeReport(domain, Figures.ZERO, List.of());
    }
}
