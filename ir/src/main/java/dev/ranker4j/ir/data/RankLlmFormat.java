package dev.ranker4j.ir.data;

import dev.ranker4j.files.AtomicFiles;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * rank_llm's candidate files (castorini/rank_llm {@code retrieve_results/}): one JSON array with an element per query,
 * <pre>
 *   [ {"query": "how long is life cycle of flea",
 *      "hits": [ {"content": "...", "qid": 264014, "docid": "5611210", "rank": 1, "score": 15.78}, ... ]}, ... ]
 * </pre>
 * In the shipped files {@code query} is the text and the query id sits in every hit; rank_llm's newer request shape
 * {@code "query": {"text": ..., "qid": ...}} is read too. Ids may be JSON numbers or strings.
 *
 * <p>The reader streams: it parses one query element at a time with Jackson's streaming parser, so memory holds one
 * query's hits. Errors name the file, the line where the offending query element starts, and the field.
 * The writer emits the shipped shape (query text, qid in each hit), one query per line; a query without hits is
 * written in the object shape so its id survives.
 */
public final class RankLlmFormat {
    private RankLlmFormat() {}

    /** Streams the queries of a rank_llm candidates file. Close the stream. */
    public static Stream<RankedCandidates> read(Path file) {
        BufferedReader reader = TextLines.open(file);
        JsonParser parser;
        try {
            parser = JsonLines.MAPPER.createParser(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        boolean[] started = {false};
        return LazyStreams.of(() -> {
            try {
                if (!started[0]) {
                    started[0] = true;
                    if (parser.nextToken() != JsonToken.START_ARRAY) {
                        throw new DataFormatException(file, lineOf(parser), "expected a JSON array of queries");
                    }
                }
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY || token == null) return null;
                Line where = new Line(file, lineOf(parser), "");
                if (token != JsonToken.START_OBJECT) throw where.error("expected a JSON object per query");
                return parseQuery(where, parser.readValueAsTree());
            } catch (JsonProcessingException e) {
                throw new DataFormatException(file, lineOf(parser), "not valid JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }, parser);
    }

    /** Parses one query element; {@code where} carries the file and the line the element starts on. */
    static RankedCandidates parseQuery(Line where, JsonNode element) {
        ArrayNode hitNodes = JsonLines.array(where, element, "hits");
        JsonNode queryNode = element.get("query");
        String text;
        String qid = null;
        if (queryNode instanceof ObjectNode queryObject) {
            text = JsonLines.text(where, queryObject, "query.text");
            qid = JsonLines.id(where, queryObject, "query.qid");
        } else if (queryNode != null && queryNode.isTextual()) {
            text = queryNode.asText();
        } else {
            throw where.error("query", "missing, or neither a string nor an object {text, qid}");
        }
        List<RankedCandidates.Hit> hits = new ArrayList<>(hitNodes.size());
        for (int i = 0; i < hitNodes.size(); i++) {
            String prefix = "hits[" + i + "].";
            JsonNode hit = hitNodes.get(i);
            if (!(hit instanceof ObjectNode)) throw where.error("hits[" + i + "]", "not a JSON object");
            if (hit.has("qid")) {
                String hitQid = JsonLines.id(where, hit, prefix + "qid");
                if (qid == null) qid = hitQid;
                else if (!qid.equals(hitQid)) {
                    throw where.error(prefix + "qid", "is " + hitQid + " but the query's id is " + qid);
                }
            }
            JsonNode rank = hit.get("rank");
            if (rank == null || !rank.canConvertToInt() || !rank.isIntegralNumber()) {
                throw where.error(prefix + "rank", "missing or not an integer");
            }
            JsonNode score = hit.get("score");
            if (score == null || !score.isNumber()) throw where.error(prefix + "score", "missing or not a number");
            hits.add(new RankedCandidates.Hit(JsonLines.id(where, hit, prefix + "docid"),
                    JsonLines.text(where, hit, prefix + "content"), rank.intValue(), score.doubleValue()));
        }
        if (qid == null) {
            throw where.error("query", "has no id: a query given as plain text needs hits carrying \"qid\"");
        }
        return new RankedCandidates(new Query(qid, text), hits);
    }

    /** Writes a rank_llm candidates file atomically. */
    public static void write(Path file, Iterable<RankedCandidates> queries) {
        AtomicFiles.writeTextUnchecked(file, out -> {
            out.write("[");
            boolean first = true;
            for (RankedCandidates candidates : queries) {
                out.write(first ? "\n" : ",\n");
                first = false;
                out.write(BeirFormat.json(toJson(candidates)));
            }
            out.write("\n]\n");
        });
    }

    private static ObjectNode toJson(RankedCandidates candidates) {
        ObjectNode element = JsonLines.MAPPER.createObjectNode();
        String qid = candidates.query().id();
        if (candidates.hits().isEmpty()) {
            element.putObject("query").put("text", candidates.query().text()).put("qid", qid);
        } else {
            element.put("query", candidates.query().text());
        }
        ArrayNode hits = element.putArray("hits");
        for (RankedCandidates.Hit hit : candidates.hits()) {
            ObjectNode node = hits.addObject().put("content", hit.content());
            putId(node, "qid", qid);
            node.put("docid", hit.docId()).put("rank", hit.rank()).put("score", hit.score());
        }
        return element;
    }

    // The shipped files write numeric query ids as JSON numbers; keep that so a round trip gives the same file shape.
    private static void putId(ObjectNode node, String field, String id) {
        if (id.matches("[1-9][0-9]{0,17}|0")) node.put(field, Long.parseLong(id));
        else node.put(field, id);
    }

    private static long lineOf(JsonParser parser) {
        return Math.max(1, parser.currentLocation().getLineNr());
    }
}
