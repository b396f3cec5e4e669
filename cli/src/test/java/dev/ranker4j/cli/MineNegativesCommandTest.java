package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.ir.data.GroupedTrainingExample;
import dev.ranker4j.ir.data.RerankerToolkitFormat;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.VectorFiles;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.sampling.ListwiseInstance;
import dev.ranker4j.training.sampling.SamplingFiles;
import dev.ranker4j.training.sampling.TasBalancedInstance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mine-negatives} with each sampler, end to end in-process. */
class MineNegativesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path sample;
    Path run;
    Path qrels;

    @BeforeEach
    void files() throws Exception {
        sample = TinyModels.sample(Files.createDirectory(dir.resolve("sample")));
        qrels = sample.resolve("qrels/test.tsv");
        run = TinyModels.sampleRun(dir.resolve("run.trec"));
    }

    @Test
    void lceWritesGroupedTokenizedExamples() throws Exception {
        Path tokenizer = TinyModels.sentenceEncoder(Files.createDirectory(dir.resolve("model")));
        Path output = dir.resolve("lce.jsonl");
        CliRun result = CliRun.of("mine-negatives", "--sampler", "lce", "--run", run.toString(), "--qrels",
                qrels.toString(), "--negatives", "4", "--depth", "20", "--tokenizer", tokenizer.toString(), "--queries",
                sample.resolve("queries.jsonl").toString(), "--corpus", sample.resolve("corpus.jsonl").toString(),
                "--output", output.toString(), "--seed", "3");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(10, JSON.readTree(result.lastLine()).get("written").asInt());
        List<GroupedTrainingExample> examples;
        try (var stream = RerankerToolkitFormat.readGrouped(output)) {
            examples = stream.toList();
        }
        GroupedTrainingExample q1 = examples.getFirst();
        assertEquals("q1", q1.queryId());
        assertEquals(List.of("p1", "p2"), q1.positives().stream().map(p -> p.passageId()).toList());
        assertEquals(4, q1.negatives().size());
        q1.negatives().forEach(n -> assertTrue(!n.passageId().equals("p1") && !n.passageId().equals("p2")));
        // Token ids without [CLS] and [SEP].
        int[] withSpecials = WordPieceTokenizer.fromDirectory(tokenizer).encode("how do plants make food from sunlight")
                .ids();
        assertArrayEquals(java.util.Arrays.copyOfRange(withSpecials, 1, withSpecials.length - 1), q1.queryTokenIds());
    }

    @Test
    void tasBalancedWritesBatchesFromClusters() throws Exception {
        float[][] rows = new float[10][2];
        List<String> ids = new java.util.ArrayList<>();
        for (int q = 0; q < 10; q++) {
            ids.add("q" + (q + 1));
            rows[q][q % 2] = 1; // two obvious topics
        }
        Path vectors = dir.resolve("queries.vec");
        VectorFiles.write(vectors, DenseVectors.of(ids, rows, true));
        Path output = dir.resolve("tas.jsonl");
        CliRun result = CliRun.of("mine-negatives", "--sampler", "tas-b", "--teacher-scores", run.toString(),
                "--qrels", qrels.toString(), "--query-vectors", vectors.toString(), "--clusters", "2", "--batch-size",
                "4", "--clusters-per-batch", "2", "--bins", "5", "--batches", "7", "--output", output.toString());
        assertEquals(0, result.exitCode(), result.err());
        List<List<TasBalancedInstance>> batches = SamplingFiles.readTasBatches(output);
        assertEquals(7, batches.size());
        for (List<TasBalancedInstance> batch : batches) {
            assertEquals(4, batch.size());
            assertEquals(2, batch.stream().map(TasBalancedInstance::cluster).distinct().count());
            // Each cluster is one topic: odd or even query numbers.
            batch.stream().collect(java.util.stream.Collectors.groupingBy(TasBalancedInstance::cluster)).values()
                    .forEach(members -> assertEquals(1, members.stream()
                            .map(i -> Integer.parseInt(i.queryId().substring(1)) % 2).distinct().count()));
        }
    }

    @Test
    void rocketQaWritesMixedListwiseInstances() throws Exception {
        Path output = dir.resolve("rocketqa.jsonl");
        CliRun result = CliRun.of("mine-negatives", "--sampler", "rocketqa", "--run", run.toString(),
                "--reranker-scores", run.toString(), "--qrels", qrels.toString(), "--list-size", "4", "--depth", "30",
                "--negative-threshold", "0.5", "--positive-threshold", "0.99", "--output", output.toString());
        assertEquals(0, result.exitCode(), result.err());
        List<ListwiseInstance> instances = SamplingFiles.readListwise(output);
        assertEquals(20, instances.size());
        instances.forEach(i -> assertEquals(4, i.passageIds().size()));
        // Denoised negatives all scored below 0.5: ranks 19..30 of the run.
        instances.stream().filter(ListwiseInstance::denoised).flatMap(i -> i.negativeIds().stream())
                .forEach(p -> assertTrue(Integer.parseInt(p.substring(1)) >= 19, p));
    }

    @Test
    void missingOptionsAndUnknownSamplersAreOneClearLine() {
        CliRun lce = CliRun.of("mine-negatives", "--sampler", "lce", "--qrels", qrels.toString(), "--output",
                dir.resolve("x").toString());
        assertEquals(1, lce.exitCode());
        assertEquals("ranker4j mine-negatives: --sampler lce needs --run or --index", lce.err().strip());
        CliRun unknown = CliRun.of("mine-negatives", "--sampler", "bm25", "--qrels", qrels.toString(), "--output",
                dir.resolve("x").toString());
        assertTrue(unknown.err().contains("unknown sampler 'bm25'"), unknown.err());
    }
}
