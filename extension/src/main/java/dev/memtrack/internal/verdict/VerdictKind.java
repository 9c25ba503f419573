package dev.memtrack.internal.verdict;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Site;
import java.util.function.ToLongFunction;
import org.apiguardian.api.API;

/**
 * The three verdicts and what each reads from a site. A leak limit is an allowance (fails when
 * leaked &gt; limit); peak and allocation limits are exclusive bounds (fail when figure &gt;= limit).
 */
@API(status = INTERNAL, since = "0.1")
public enum VerdictKind {
    LEAK("allocated at", Site::liveBytes, Site::liveCount, true),
    PEAK("live at the peak, allocated at", Site::peakBytes, Site::peakCount, false),
    BUDGET("allocated at", Site::allocatedBytes, Site::allocatedCount, false);

    private final String verb;
    private final ToLongFunction<Site> siteBytes;
    private final ToLongFunction<Site> siteCount;
    private final boolean allowance;

    VerdictKind(String verb, ToLongFunction<Site> siteBytes, ToLongFunction<Site> siteCount, boolean allowance) {
        this.verb = verb;
        this.siteBytes = siteBytes;
        this.siteCount = siteCount;
        this.allowance = allowance;
    }

    /** The site heading's ending: {@code 2.0 MiB in 3 allocations <verb>:}. */
    public String verb() {
        return verb;
    }

    /** The site's share of the figure this verdict is about; sites are ranked by it. */
    public long siteBytes(Site site) {
        return siteBytes.applyAsLong(site);
    }

    public long siteCount(Site site) {
        return siteCount.applyAsLong(site);
    }

    /** An allowance holds up to the limit itself; an exclusive bound fails on reaching it. */
    public boolean breaches(long figure, long limit) {
        return allowance ? figure > limit : figure >= limit;
    }
}
