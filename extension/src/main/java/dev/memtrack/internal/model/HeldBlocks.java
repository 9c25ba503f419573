package dev.memtrack.internal.model;

import java.util.List;

/**
 * The blocks of a leaked native site that a reachable Java object owns, as the owner check lists
 * them (docs/native-report-format.md, "held"): what lets a later verdict tell which of them are
 * gone, so whether the state that holds them grows or only replaces them.
 *
 * @param count          how many blocks of the site a reachable Java object owns
 * @param scopeAndAddress for each of them its scope id then its address; empty when there were
 *                        too many to list
 */
public record HeldBlocks(int count, List<Long> scopeAndAddress) {

    /** No owner check ran, or no reachable object owns a block of the site. */
    public static final HeldBlocks NONE = new HeldBlocks(0, List.of());

    public HeldBlocks {
        scopeAndAddress = List.copyOf(scopeAndAddress);
    }

    /** Whether every owned block is listed. */
    public boolean listed() {
        return count > 0 && scopeAndAddress.size() == 2 * count;
    }
}
