package dev.ranker4j.ir.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Field access for JSON-lines formats with errors that name file, line and field ({@code qry.query[3]}), plus the
 * shared {@link ObjectMapper}. Ids may be JSON strings or integers (files in the wild use both); they are always
 * read as strings.
 */
final class JsonLines {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {}

    /** Parses one line as a JSON object. */
    static ObjectNode parseObject(Line line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line.text());
        } catch (JsonProcessingException e) {
            throw line.error("not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) throw line.error("expected a JSON object");
        return object;
    }

    /** A required child object. */
    static ObjectNode object(Line line, JsonNode parent, String field) {
        JsonNode node = parent.get(leaf(field));
        if (!(node instanceof ObjectNode object)) throw line.error(field, "missing or not a JSON object");
        return object;
    }

    /** A required string field. */
    static String text(Line line, JsonNode parent, String field) {
        JsonNode node = parent.get(leaf(field));
        if (node == null || !node.isTextual()) throw line.error(field, "missing or not a string");
        return unicode(line, field, node.asText());
    }

    /** An optional string field, {@code fallback} when absent or null. */
    static String optionalText(Line line, JsonNode parent, String field, String fallback) {
        JsonNode node = parent.get(leaf(field));
        if (node == null || node.isNull()) return fallback;
        if (!node.isTextual()) throw line.error(field, "not a string");
        return unicode(line, field, node.asText());
    }

    /** A required id: a non-empty string or an integer, returned as a string. */
    static String id(Line line, JsonNode parent, String field) {
        JsonNode node = parent.get(leaf(field));
        if (node != null && node.isIntegralNumber()) return node.asText();
        if (node == null || !node.isTextual()) throw line.error(field, "missing or not a string/integer id");
        return unicode(line, field, line.requireNonEmpty(field, node.asText()));
    }

    /**
     * {@code value} unless it holds half of a surrogate pair (JSON lets "\ud83d" stand alone): that is no Unicode
     * text, and would be written back as '?'.
     */
    static String unicode(Line line, String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw line.error(field, String.format("holds an unpaired surrogate \\u%04x at %d: not Unicode text", (int) c, i));
            }
        }
        return value;
    }

    /** A required array of token ids (ints). */
    static int[] tokenIds(Line line, JsonNode parent, String field) {
        JsonNode node = parent.get(leaf(field));
        if (!(node instanceof ArrayNode array)) throw line.error(field, "missing or not an array of token ids");
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode element = array.get(i);
            if (!element.canConvertToInt() || !element.isIntegralNumber()) {
                throw line.error(field + "[" + i + "]", "token id " + element + " is not a 32-bit integer");
            }
            ids[i] = element.intValue();
        }
        return ids;
    }

    /** A required array field. */
    static ArrayNode array(Line line, JsonNode parent, String field) {
        JsonNode node = parent.get(leaf(field));
        if (!(node instanceof ArrayNode array)) throw line.error(field, "missing or not a JSON array");
        return array;
    }

    /** A JSON array of the given token ids. */
    static ArrayNode tokenArray(int[] ids) {
        ArrayNode array = MAPPER.createArrayNode();
        for (int id : ids) array.add(id);
        return array;
    }

    // Error messages use dotted paths ("qry.qid"); the lookup needs the last component only.
    private static String leaf(String field) {
        int dot = field.lastIndexOf('.');
        String last = dot < 0 ? field : field.substring(dot + 1);
        int bracket = last.indexOf('[');
        return bracket < 0 ? last : last.substring(0, bracket);
    }
}
