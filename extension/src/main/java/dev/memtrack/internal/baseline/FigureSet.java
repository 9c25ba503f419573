package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** Peak, allocated and leaked bytes of one domain (or of both combined) in one test. */
@API(status = INTERNAL, since = "0.1")
public record FigureSet(long peak, long allocated, long leaked) {

    public long of(Figure figure) {
        return switch (figure) {
            case PEAK -> peak;
            case ALLOCATED -> allocated;
            case LEAKED -> leaked;
        };
    }
}
