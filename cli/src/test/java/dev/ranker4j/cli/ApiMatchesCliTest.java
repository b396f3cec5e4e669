package dev.ranker4j.cli;

import dev.ranker4j.api.Embedder;
import dev.ranker4j.api.EmbedderOptions;
import dev.ranker4j.api.Reranker;
import dev.ranker4j.api.RerankerOptions;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.ir.retrieval.VectorFiles;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The API gives exactly what the command line writes for the same inputs and options, bit for bit: {@code Embedder}
 * against {@code encode} (with and without --normalize), {@code Reranker} against {@code rerank} (cross-encoder and
 * dual encoder), on the built-in sample with small batches and short limits so that batching and truncation matter.
 */
class ApiMatchesCliTest {
    @TempDir
    static Path dir;
    static Path sample;
    static Path dualEncoder;
    static Path crossEncoder;

    @BeforeAll
    static void models() throws Exception {
        sample = TinyModels.sample(Files.createDirectory(dir.resolve("sample")));
        dualEncoder = TinyModels.sentenceEncoder(Files.createDirectory(dir.resolve("de")));
        crossEncoder = TinyModels.crossEncoder(Files.createDirectory(dir.resolve("ce")));
    }

    @Test
    void embedderEqualsEncode() throws Exception {
        Map<String, String> docs = TextFiles.documents(sample.resolve("corpus.jsonl"));
        for (boolean normalize : new boolean[] {false, true}) {
            Path output = dir.resolve("docs-" + normalize + ".vec");
            List<String> args = new ArrayList<>(List.of("encode", "--model", dualEncoder.toString(), "--input",
                    sample.resolve("corpus.jsonl").toString(), "--output", output.toString(), "--batch-size", "5",
                    "--max-length", "24", "--quiet"));
            if (normalize) args.add("--normalize");
            CliRun result = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, result.exitCode(), result.err());
            DenseVectors cli = VectorFiles.read(output);

            EmbedderOptions options = EmbedderOptions.defaults().withBatchSize(5).withMaxLength(24);
            if (normalize) options = options.withNormalize(true);
            try (Embedder embedder = Embedder.load(dualEncoder, options)) {
                float[][] api = embedder.embed(new ArrayList<>(docs.values()));
                List<String> ids = new ArrayList<>(docs.keySet());
                assertEquals(ids.size(), cli.size());
                for (int i = 0; i < ids.size(); i++) {
                    assertArrayEquals(cli.vector(cli.ids().indexOf(ids.get(i))), api[i], "normalize " + normalize + ", " + ids.get(i));
                }
            }
        }
    }

    @Test
    void rerankerEqualsRerank() throws Exception {
        Map<String, String> queries = TextFiles.queries(sample.resolve("queries.jsonl"));
        Map<String, String> docs = TextFiles.documents(sample.resolve("corpus.jsonl"));
        Path firstStage = TinyModels.sampleRun(dir.resolve("first.trec"));
        int depth = 12;
        for (String[] kind : new String[][] {{"cross_encoder", crossEncoder.toString()}, {"dual_encoder", dualEncoder.toString()}}) {
            Path output = dir.resolve(kind[0] + ".trec");
            CliRun result = CliRun.of("rerank", "--run", firstStage.toString(), "--queries",
                    sample.resolve("queries.jsonl").toString(), "--corpus", sample.resolve("corpus.jsonl").toString(),
                    "--model", kind[1], "--kind", kind[0], "--depth", Integer.toString(depth), "--batch-size", "5",
                    "--max-length", "40", "--query-length", "12", "--output", output.toString(), "--quiet");
            assertEquals(0, result.exitCode(), kind[0] + ": " + result.err());
            Run cli = Run.readTrec(output);
            Run run = Run.readTrec(firstStage);

            RerankerOptions options = RerankerOptions.defaults().withBatchSize(5).withMaxLength(40).withQueryMaxLength(12);
            try (Reranker reranker = Reranker.load(kind[1], options)) {
                assertEquals(kind[0], reranker.kind().id());
                for (String queryId : run.queryIds()) {
                    List<ScoredDoc> top = run.ranking(queryId).subList(0, depth);
                    List<String> passages = top.stream().map(d -> docs.get(d.docId())).toList();
                    float[] api = reranker.score(queries.get(queryId), passages);
                    for (int i = 0; i < top.size(); i++) {
                        String docId = top.get(i).docId();
                        double written = cli.ranking(queryId).stream().filter(d -> d.docId().equals(docId)).findFirst()
                                .orElseThrow().score();
                        assertEquals(written, api[i], 0.0, kind[0] + " " + queryId + " " + docId);
                    }
                }
            }
        }
    }
}
