package dev.ranker4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The request bodies of text-embeddings-inference's routes, read and checked:
 * <pre>
 *   POST /rerank  {"query": str, "texts": [str], "raw_scores": bool = false, "return_text": bool = false,
 *                  "truncate": bool = the server's --auto-truncate, "truncation_direction": "Right"}
 *   POST /embed   {"inputs": str | [str], "normalize": bool = true, "truncate": bool = --auto-truncate,
 *                  "truncation_direction": "Right"}
 * </pre>
 * Unknown fields are ignored, as TEI does. Not JSON at all: 400; a JSON value that is not such an object (a field
 * missing, or of the wrong type): 422; no texts: 400 (TEI's "Empty"); more texts than allowed: 413.
 */
final class TeiRequests {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TeiRequests() {}

    /** A /rerank body; {@code truncate} is null when the request does not say. */
    record Rerank(String query, List<String> texts, boolean rawScores, boolean returnText, Boolean truncate) {}

    /** An /embed body; {@code truncate} is null when the request does not say. */
    record Embed(List<String> inputs, boolean normalize, Boolean truncate) {}

    static Rerank rerank(byte[] body, int maxTexts) {
        JsonNode json = object(body);
        String query = string(json, "query");
        List<String> texts = strings(json, "texts", false);
        checkCount("texts", texts, maxTexts);
        checkDirection(json);
        return new Rerank(query, texts, bool(json, "raw_scores", false), bool(json, "return_text", false),
                optionalBool(json, "truncate"));
    }

    static Embed embed(byte[] body, int maxTexts) {
        JsonNode json = object(body);
        List<String> inputs = strings(json, "inputs", true);
        checkCount("inputs", inputs, maxTexts);
        checkDirection(json);
        return new Embed(inputs, bool(json, "normalize", true), optionalBool(json, "truncate"));
    }

    private static JsonNode object(byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw HttpError.malformed("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.malformed("unreadable body: " + e.getMessage());
        }
        if (json == null || json.isMissingNode()) throw HttpError.malformed("empty body: expected a JSON object");
        if (!json.isObject()) throw HttpError.unprocessable("expected a JSON object, got " + kind(json));
        return json;
    }

    private static String string(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) throw HttpError.unprocessable("missing field `" + field + "`");
        if (!value.isTextual()) throw HttpError.unprocessable("`" + field + "` must be a string, got " + kind(value));
        return value.textValue();
    }

    /** An array of strings, or (when {@code orOne}) a single string. */
    private static List<String> strings(JsonNode json, String field, boolean orOne) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) throw HttpError.unprocessable("missing field `" + field + "`");
        if (orOne && value.isTextual()) return List.of(value.textValue());
        if (!value.isArray()) {
            throw HttpError.unprocessable("`" + field + "` must be " + (orOne ? "a string or " : "") + "an array of strings, got "
                    + kind(value));
        }
        List<String> texts = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode text = value.get(i);
            if (!text.isTextual()) throw HttpError.unprocessable("`" + field + "[" + i + "]` must be a string, got " + kind(text));
            texts.add(text.textValue());
        }
        if (texts.isEmpty()) throw HttpError.empty("`" + field + "` cannot be empty");
        return texts;
    }

    private static boolean bool(JsonNode json, String field, boolean otherwise) {
        Boolean value = optionalBool(json, field);
        return value == null ? otherwise : value;
    }

    private static Boolean optionalBool(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isBoolean()) throw HttpError.unprocessable("`" + field + "` must be true or false, got " + kind(value));
        return value.booleanValue();
    }

    private static void checkCount(String field, List<String> texts, int maxTexts) {
        if (texts.size() > maxTexts) {
            throw HttpError.tooLarge("`" + field + "` has " + texts.size() + " texts, more than the maximum of " + maxTexts
                    + " per request");
        }
    }

    /** Truncation cuts the end of a text; TEI's "Left" (cutting the start) is not supported. */
    private static void checkDirection(JsonNode json) {
        JsonNode value = json.get("truncation_direction");
        if (value == null || value.isNull()) return;
        if (!value.isTextual() || !value.textValue().equalsIgnoreCase("right")) {
            throw HttpError.unprocessable("`truncation_direction` must be \"Right\" (the only one supported), got " + value);
        }
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
