package dev.memtrack.internal.verdict;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Site;
import org.apiguardian.api.API;

/**
 * The three verdicts and what each reads from a site. A leak limit is an allowance (fails when
 * leaked &gt; limit); peak and allocation limits are exclusive bounds (fail when figure &gt;= limit).
 */
@API(status = INTERNAL, since = "0.1")
public enum VerdictKind {
    LEAK("allocated at") {
        @Override
        public long siteBytes(Site site) {
            return site.liveBytes();
        }

        @Override
        public long siteCount(Site site) {
            return site.liveCount();
        }

        @Override
        public boolean breaches(long figure, long limit) {
            return figure > limit;
        }
    },
    PEAK("live at the peak, allocated at") {
        @Override
        public long siteBytes(Site site) {
            return site.peakBytes();
        }

        @Override
        public long siteCount(Site site) {
            return site.peakCount();
        }

        @Override
        public boolean breaches(long figure, long limit) {
            return figure >= limit;
        }
    },
    BUDGET("allocated at") {
        @Override
        public long siteBytes(Site site) {
            return site.allocatedBytes();
        }

        @Override
        public long siteCount(Site site) {
            return site.allocatedCount();
        }

        @Override
        public boolean breaches(long figure, long limit) {
            return figure >= limit;
        }
    };

    private final String verb;

    VerdictKind(String verb) {
        this.verb = verb;
    }

    /** The site heading's ending: {@code 2.0 MiB in 3 allocations <verb>:}. */
    public String verb() {
        return verb;
    }

    /** The site's share of the figure this verdict is about; sites are ranked by it. */
    public abstract long siteBytes(Site site);

    public abstract long siteCount(Site site);

    public abstract boolean breaches(long figure, long limit);
}
