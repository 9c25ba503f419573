package dev.memtrack.internal.baseline;

/**
 * A parsed JSON value and the line it started on, so that a value of the wrong type can be
 * reported at its line. {@code value} is a {@code Map<String, JsonNode>} (insertion order), a
 * {@code List<JsonNode>}, a {@code String}, a {@code Long} (only whole numbers are used here; other
 * numbers are kept as {@code Double}), a {@code Boolean} or {@code null}.
 */
record JsonNode(Object value, int line) {
}
