package dev.ranker4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON string quoting for the summary lines commands print. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** {@code value} formatted with {@code format} (e.g. "%.4f"), or {@code null}: JSON has no NaN or Infinity. */
    static String number(double value, String format) {
        return Double.isFinite(value) ? String.format(java.util.Locale.ROOT, format, value) : "null";
    }

    static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
