package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import org.apiguardian.api.API;

/** The two files written for one test: its capture and the HTML report rendered from it. */
@API(status = INTERNAL, since = "0.1")
public record CaptureFiles(Path capture, Path html) {
}
