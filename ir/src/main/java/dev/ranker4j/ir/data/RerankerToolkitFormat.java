package dev.ranker4j.ir.data;

import dev.ranker4j.files.AtomicFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file formats of the Reranker toolkit (luyug/Reranker; Gao, Dai and Callan 2021, the LCE paper), all
 * pre-tokenized (token ids without special tokens):
 * <pre>
 *   grouped training JSON lines  {"qry": {"qid": "1", "query": [2054, ...]},
 *                                 "pos": [{"pid": "7", "passage": [...]}], "neg": [{"pid": "9", "passage": [...]}, ...]}
 *   inference JSON lines         {"qid": "1", "pid": "7", "qry": [...], "psg": [...]}
 *   id file (TSV)                qid TAB pid            one line per inference line, same order
 *   score file                   qid TAB pid TAB score  what inference writes, one line per pair
 * </pre>
 * The toolkit declares ids as strings; numbers are accepted on input. Converting a score file to a ranking is in
 * {@link ScoreFiles}.
 */
public final class RerankerToolkitFormat {
    private RerankerToolkitFormat() {}

    /** Streams grouped training examples. Close the stream. */
    public static Stream<GroupedTrainingExample> readGrouped(Path file) {
        return TextLines.of(file).map(RerankerToolkitFormat::parseGrouped);
    }

    /** Streams inference examples. Close the stream. */
    public static Stream<InferenceExample> readInference(Path file) {
        return TextLines.of(file).map(RerankerToolkitFormat::parseInference);
    }

    /** Streams the {@code qid pid} lines of an id file. Close the stream. */
    public static Stream<QueryPassageId> readIds(Path file) {
        return TextLines.of(file).map(line -> {
            // The toolkit splits id lines on any white space.
            String[] fields = line.splitWhitespace("qid", "pid");
            return new QueryPassageId(fields[0], fields[1]);
        });
    }

    /** Parses one grouped training line. */
    public static GroupedTrainingExample parseGrouped(Line line) {
        ObjectNode object = JsonLines.parseObject(line);
        ObjectNode query = JsonLines.object(line, object, "qry");
        return new GroupedTrainingExample(JsonLines.id(line, query, "qry.qid"),
                JsonLines.tokenIds(line, query, "qry.query"), passages(line, object, "pos"),
                passages(line, object, "neg"));
    }

    /** Parses one inference line. */
    public static InferenceExample parseInference(Line line) {
        ObjectNode object = JsonLines.parseObject(line);
        return new InferenceExample(JsonLines.id(line, object, "qid"), JsonLines.id(line, object, "pid"),
                JsonLines.tokenIds(line, object, "qry"), JsonLines.tokenIds(line, object, "psg"));
    }

    private static List<TokenizedPassage> passages(Line line, JsonNode parent, String field) {
        ArrayNode array = JsonLines.array(line, parent, field);
        List<TokenizedPassage> passages = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String prefix = field + "[" + i + "]";
            if (!(array.get(i) instanceof ObjectNode passage)) throw line.error(prefix, "not a JSON object");
            passages.add(new TokenizedPassage(JsonLines.id(line, passage, prefix + ".pid"),
                    JsonLines.tokenIds(line, passage, prefix + ".passage")));
        }
        return passages;
    }

    /** Writes grouped training JSON lines atomically. */
    public static void writeGrouped(Path file, Iterable<GroupedTrainingExample> examples) {
        AtomicFiles.writeTextUnchecked(file, out -> {
            for (GroupedTrainingExample example : examples) {
                ObjectNode object = JsonLines.MAPPER.createObjectNode();
                object.putObject("qry").put("qid", example.queryId())
                        .set("query", JsonLines.tokenArray(example.queryTokenIds()));
                object.set("pos", passagesJson(example.positives()));
                object.set("neg", passagesJson(example.negatives()));
                out.write(BeirFormat.json(object));
                out.write('\n');
            }
        });
    }

    /**
     * Writes inference JSON lines and, line for line, their id file. Each file is written atomically; the examples
     * are iterated twice, so pass a collection rather than a one-shot stream.
     */
    public static void writeInference(Path jsonFile, Path idFile, Iterable<InferenceExample> examples) {
        AtomicFiles.writeTextUnchecked(jsonFile, out -> {
            for (InferenceExample example : examples) {
                ObjectNode object = JsonLines.MAPPER.createObjectNode();
                object.put("qid", example.queryId()).put("pid", example.passageId());
                object.set("qry", JsonLines.tokenArray(example.queryTokenIds()));
                object.set("psg", JsonLines.tokenArray(example.passageTokenIds()));
                out.write(BeirFormat.json(object));
                out.write('\n');
            }
        });
        List<QueryPassageId> ids = new ArrayList<>();
        for (InferenceExample example : examples) ids.add(example.ids());
        writeIds(idFile, ids);
    }

    /** Writes an id file ({@code qid TAB pid}) atomically. */
    public static void writeIds(Path file, Iterable<QueryPassageId> ids) {
        AtomicFiles.writeTextUnchecked(file, out -> {
            for (QueryPassageId id : ids) out.write(Tsv.token(id.queryId()) + "\t" + Tsv.token(id.passageId()) + "\n");
        });
    }

    private static ArrayNode passagesJson(List<TokenizedPassage> passages) {
        ArrayNode array = JsonLines.MAPPER.createArrayNode();
        for (TokenizedPassage passage : passages) {
            array.addObject().put("pid", passage.passageId()).set("passage", JsonLines.tokenArray(passage.tokenIds()));
        }
        return array;
    }
}
