package dev.memtrack.internal.verdict;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Domain;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The figure a verdict judges: bytes and allocation count over the selected domains, and the
 * bytes of each selected, measured domain (for the "native 2.0 MiB, managed 1.0 MiB" split).
 */
@API(status = INTERNAL, since = "0.1")
public record Total(long bytes, long count, Map<Domain, Long> bytesByDomain) {

    public Total {
        EnumMap<Domain, Long> ordered = new EnumMap<>(Domain.class);
        ordered.putAll(bytesByDomain);
        bytesByDomain = Collections.unmodifiableMap(ordered);
    }
}
