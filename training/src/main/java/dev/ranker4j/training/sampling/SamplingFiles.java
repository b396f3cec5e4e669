package dev.ranker4j.training.sampling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.files.AtomicFiles;
import dev.ranker4j.ir.data.DataFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files the samplers write for the trainer, JSON lines, written atomically:
 * <pre>
 *   TAS-Balanced batches, one batch per line:
 *     {"batch": 0, "instances": [{"qid": "12", "cluster": 3, "pos": "d1", "neg": "d7",
 *                                 "pos_score": 9.1, "neg_score": 2.5}, ...]}
 *   RocketQAv2 listwise instances, one per line (the first passage is the positive):
 *     {"qid": "12", "passages": ["d1", "d7", "d9", ...], "denoised": true}
 * </pre>
 * LCE's localized negatives are written in the Reranker toolkit's grouped format
 * ({@link dev.ranker4j.ir.data.RerankerToolkitFormat#writeGrouped}).
 */
public final class SamplingFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SamplingFiles() {}

    /** Writes TAS-Balanced batches. */
    public static void writeTasBatches(Path file, List<List<TasBalancedInstance>> batches) {
        AtomicFiles.writeTextUnchecked(file, out -> {
            for (int b = 0; b < batches.size(); b++) {
                ObjectNode line = JSON.createObjectNode().put("batch", b);
                ArrayNode instances = line.putArray("instances");
                for (TasBalancedInstance instance : batches.get(b)) {
                    instances.addObject().put("qid", instance.queryId()).put("cluster", instance.cluster())
                            .put("pos", instance.pair().positiveId()).put("neg", instance.pair().negativeId())
                            .put("pos_score", instance.pair().positiveScore())
                            .put("neg_score", instance.pair().negativeScore());
                }
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
        });
    }

    /** Reads TAS-Balanced batches. */
    public static List<List<TasBalancedInstance>> readTasBatches(Path file) {
        List<List<TasBalancedInstance>> batches = new ArrayList<>();
        forEachLine(file, (number, line) -> {
            List<TasBalancedInstance> batch = new ArrayList<>();
            JsonNode instances = required(file, number, line, "instances");
            for (JsonNode i : instances) {
                batch.add(new TasBalancedInstance(text(file, number, i, "qid"), required(file, number, i, "cluster")
                        .asInt(), new TeacherPair(text(file, number, i, "pos"), text(file, number, i, "neg"),
                        (float) required(file, number, i, "pos_score").asDouble(),
                        (float) required(file, number, i, "neg_score").asDouble())));
            }
            batches.add(batch);
        });
        return batches;
    }

    /** Writes listwise instances. */
    public static void writeListwise(Path file, List<ListwiseInstance> instances) {
        AtomicFiles.writeTextUnchecked(file, out -> {
            for (ListwiseInstance instance : instances) {
                ObjectNode line = JSON.createObjectNode().put("qid", instance.queryId());
                ArrayNode passages = line.putArray("passages");
                instance.passageIds().forEach(passages::add);
                line.put("denoised", instance.denoised());
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
        });
    }

    /** Reads listwise instances. */
    public static List<ListwiseInstance> readListwise(Path file) {
        List<ListwiseInstance> instances = new ArrayList<>();
        forEachLine(file, (number, line) -> {
            List<String> passages = new ArrayList<>();
            for (JsonNode passage : required(file, number, line, "passages")) passages.add(passage.asText());
            if (passages.size() < 2) {
                throw new DataFormatException(file, number, "field 'passages': needs a positive and a negative");
            }
            instances.add(new ListwiseInstance(text(file, number, line, "qid"), passages,
                    required(file, number, line, "denoised").asBoolean()));
        });
        return instances;
    }

    private interface LineHandler {
        void accept(long number, JsonNode line);
    }

    private static void forEachLine(Path file, LineHandler handler) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                JsonNode node;
                try {
                    node = JSON.readTree(lines.get(i));
                } catch (IOException e) {
                    throw new DataFormatException(file, i + 1, "not valid JSON: " + e.getMessage(), e);
                }
                handler.accept(i + 1, node);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UncheckedIOException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(Path file, long line, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) throw new DataFormatException(file, line, "field '" + field + "': missing");
        return value;
    }

    private static String text(Path file, long line, JsonNode node, String field) {
        return required(file, line, node, field).asText();
    }
}
