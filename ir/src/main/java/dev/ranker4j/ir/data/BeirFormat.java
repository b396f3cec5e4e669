package dev.ranker4j.ir.data;

import dev.ranker4j.files.AtomicFiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A BEIR dataset directory (Thakur et al. 2021):
 * <pre>
 *   corpus.jsonl     {"_id": "4983", "title": "...", "text": "..."}   one document per line
 *   queries.jsonl    {"_id": "0", "text": "..."}                      one query per line
 *   qrels/test.tsv   query-id TAB corpus-id TAB score                 a header line, then one judgment per line
 * </pre>
 * Extra JSON fields (BEIR's {@code metadata}) are ignored. A missing {@code title} reads as empty. Readers stream;
 * writers are atomic.
 */
public final class BeirFormat {
    /** The header line of every BEIR qrels file. */
    public static final String QRELS_HEADER = "query-id\tcorpus-id\tscore";

    private BeirFormat() {}

    /** {@code dir/corpus.jsonl}. */
    public static Path corpusFile(Path dir) {
        return dir.resolve("corpus.jsonl");
    }

    /** {@code dir/queries.jsonl}. */
    public static Path queriesFile(Path dir) {
        return dir.resolve("queries.jsonl");
    }

    /** {@code dir/qrels/<split>.tsv}. */
    public static Path qrelsFile(Path dir, String split) {
        return dir.resolve("qrels").resolve(split + ".tsv");
    }

    /** Streams the documents of a {@code corpus.jsonl} file. Close the stream. */
    public static Stream<Document> readCorpus(Path corpusJsonl) {
        return TextLines.of(corpusJsonl).map(BeirFormat::parseDocument);
    }

    /** Streams the queries of a {@code queries.jsonl} file. Close the stream. */
    public static Stream<Query> readQueries(Path queriesJsonl) {
        return TextLines.of(queriesJsonl).map(BeirFormat::parseQuery);
    }

    /** Streams the judgments of a BEIR qrels TSV, skipping its header line. Close the stream. */
    public static Stream<Judgment> readQrels(Path qrelsTsv) {
        return TextLines.of(qrelsTsv)
                .filter(line -> !(line.number() == 1 && isQrelsHeader(line.text())))
                .map(BeirFormat::parseJudgment);
    }

    /** True for BEIR's header line (also when written with spaces). */
    public static boolean isQrelsHeader(String text) {
        return text.strip().split("\\s+")[0].equals("query-id");
    }

    /** Parses one corpus line. */
    public static Document parseDocument(Line line) {
        ObjectNode object = JsonLines.parseObject(line);
        return new Document(JsonLines.id(line, object, "_id"), JsonLines.optionalText(line, object, "title", ""),
                JsonLines.text(line, object, "text"));
    }

    /** Parses one queries line. */
    public static Query parseQuery(Line line) {
        ObjectNode object = JsonLines.parseObject(line);
        return new Query(JsonLines.id(line, object, "_id"), JsonLines.text(line, object, "text"));
    }

    /** Parses one qrels line {@code query-id TAB corpus-id TAB score}. */
    public static Judgment parseJudgment(Line line) {
        String[] fields = line.splitTabs("query-id", "corpus-id", "score");
        return new Judgment(line.requireId("query-id", fields[0]), line.requireId("corpus-id", fields[1]),
                line.parseInt("score", fields[2].strip()));
    }

    /** Writes {@code corpus.jsonl} atomically. */
    public static void writeCorpus(Path corpusJsonl, Iterable<Document> documents) {
        AtomicFiles.writeTextUnchecked(corpusJsonl, out -> {
            for (Document document : documents) {
                ObjectNode object = JsonLines.MAPPER.createObjectNode();
                object.put("_id", document.id()).put("title", document.title()).put("text", document.text());
                out.write(json(object));
                out.write('\n');
            }
        });
    }

    /** Writes {@code queries.jsonl} atomically. */
    public static void writeQueries(Path queriesJsonl, Iterable<Query> queries) {
        AtomicFiles.writeTextUnchecked(queriesJsonl, out -> {
            for (Query query : queries) {
                ObjectNode object = JsonLines.MAPPER.createObjectNode();
                object.put("_id", query.id()).put("text", query.text());
                out.write(json(object));
                out.write('\n');
            }
        });
    }

    /** Writes a qrels TSV (with its header) atomically. */
    public static void writeQrels(Path qrelsTsv, Iterable<Judgment> judgments) {
        AtomicFiles.writeTextUnchecked(qrelsTsv, out -> {
            out.write(QRELS_HEADER);
            out.write('\n');
            for (Judgment judgment : judgments) {
                out.write(Tsv.field(judgment.queryId()) + "\t" + Tsv.field(judgment.docId()) + "\t" + judgment.grade()
                        + "\n");
            }
        });
    }

    static String json(ObjectNode object) throws IOException {
        try {
            return JsonLines.MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
