package dev.ranker4j.spark;

import dev.ranker4j.cli.Main;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.VectorFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jobs in local mode ({@code local[2]}) against the single-machine commands run in-process on the same tiny model
 * and random corpus: the same vectors bit for bit, the same runs byte for byte; resuming skips finished partitions.
 */
class SparkJobsTest {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path encoder;
    static Path crossEncoder;
    static Path corpus;
    static Path queries;
    static Path cliVectors;
    static Path sparkVectors;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.session();
        encoder = TinyModels.sentenceEncoder(Files.createDirectories(dir.resolve("encoder")));
        crossEncoder = TinyModels.crossEncoder(Files.createDirectories(dir.resolve("cross-encoder")));
        corpus = TinyModels.corpus(dir.resolve("corpus.jsonl"), 200, 1);
        queries = TinyModels.queries(dir.resolve("queries.jsonl"), 12, 2);
        cliVectors = dir.resolve("docs.vec");
        cli("encode", "--model", encoder.toString(), "--input", corpus.toString(), "--output", cliVectors.toString(),
                "--batch-size", "8", "--shard-size", "64", "--quiet");
        sparkVectors = dir.resolve("docs.parquet");
        spark("encode", "--master", "local[2]", "--model", encoder.toString(), "--input", corpus.toString(),
                "--output", sparkVectors.toString(), "--batch-size", "8", "--partitions", "5", "--quiet");
    }

    @Test
    void encodeGivesTheVectorsOfTheCommandLineBitForBit() {
        DenseVectors expected = VectorFiles.read(cliVectors);
        Map<String, float[]> actual = readAll(sparkVectors);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            float[] vector = actual.get(expected.ids().get(i));
            assertArrayEquals(expected.vector(i), vector, 0f, expected.ids().get(i));
        }
        assertEquals(5, VectorParquet.files(sparkVectors.toString(), new Configuration()).size());
    }

    @Test
    void aRerunSkipsFinishedPartitionsAndRefusesOtherSettings() throws IOException {
        Path output = dir.resolve("resumed.parquet");
        String[] args = {"encode", "--master", "local[2]", "--model", encoder.toString(), "--input", corpus.toString(),
                "--output", output.toString(), "--batch-size", "8", "--partitions", "4", "--quiet"};
        spark(args);
        Files.delete(output.resolve("part-00002.parquet"));
        String second = spark(args);
        assertTrue(second.contains("\"encoded_partitions\":1,"), second);
        String third = spark(args);
        assertTrue(third.contains("\"encoded_partitions\":0,"), third);
        Map<String, float[]> expected = readAll(sparkVectors);
        Map<String, float[]> resumed = readAll(output);
        assertEquals(expected.keySet(), resumed.keySet());
        expected.forEach((id, vector) -> assertArrayEquals(vector, resumed.get(id), 0f, id));

        String[] other = args.clone();
        other[10] = "16"; // --batch-size
        String error = sparkFailure(other);
        assertTrue(error.contains("holds the parts of another run (batch_size was 8, now 16)"), error);
    }

    @Test
    void exactSearchGivesTheRunOfTheCommandLine() throws IOException {
        Path queryVectors = dir.resolve("queries.vec");
        cli("encode", "--model", encoder.toString(), "--input", queries.toString(), "--kind", "queries",
                "--output", queryVectors.toString(), "--quiet");
        Path expected = dir.resolve("exact-cli.trec");
        cli("search", "--queries", queryVectors.toString(), "--docs", cliVectors.toString(), "-k", "20",
                "--output", expected.toString());
        Path actual = dir.resolve("exact-spark.trec");
        spark("search", "--master", "local[2]", "--vectors", sparkVectors.toString(), "--queries",
                queryVectors.toString(), "-k", "20", "--output", actual.toString(), "--quiet");
        assertEquals(Files.readString(expected), Files.readString(actual));
    }

    @Test
    void hnswShardsSearchedWithQueryTextsMatchOneIndex() throws IOException {
        Path shards = dir.resolve("shards");
        String out = spark("index", "hnsw", "--master", "local[2]", "--vectors", sparkVectors.toString(),
                "--output", shards.toString(), "--quiet");
        assertTrue(out.contains("\"shards\":5,\"built\":5,\"documents\":200"), out);
        assertTrue(spark("index", "hnsw", "--master", "local[2]", "--vectors", sparkVectors.toString(),
                "--output", shards.toString(), "--quiet").contains("\"built\":0"));
        // One index over the same vectors; with ef = 100 above every shard's size both searches are exhaustive.
        Path single = dir.resolve("single-index");
        cli("index", "hnsw", "--vectors", cliVectors.toString(), "--output", single.toString());
        Path expected = dir.resolve("hnsw-cli.trec");
        cli("search", "--index", single.toString(), "--model", encoder.toString(), "--queries", queries.toString(),
                "-k", "10", "--output", expected.toString(), "--quiet", "--tag", "t");
        Path actual = dir.resolve("hnsw-spark.trec");
        spark("search", "--master", "local[2]", "--index", shards.toString(), "--model", encoder.toString(),
                "--queries", queries.toString(), "-k", "10", "--output", actual.toString(), "--quiet", "--tag", "t");
        assertEquals(Files.readString(expected), Files.readString(actual));
    }

    @Test
    void rerankGivesTheRunOfTheCommandLine() throws IOException {
        Path queryVectors = dir.resolve("rerank-queries.vec");
        cli("encode", "--model", encoder.toString(), "--input", queries.toString(), "--kind", "queries",
                "--output", queryVectors.toString(), "--quiet");
        Path firstStage = dir.resolve("first-stage.trec");
        cli("search", "--queries", queryVectors.toString(), "--docs", cliVectors.toString(), "-k", "30",
                "--output", firstStage.toString());
        Path expected = dir.resolve("rerank-cli.trec");
        cli("rerank", "--run", firstStage.toString(), "--queries", queries.toString(), "--corpus", corpus.toString(),
                "--model", crossEncoder.toString(), "--depth", "20", "--batch-size", "8", "--output",
                expected.toString(), "--quiet");
        Path actual = dir.resolve("rerank-spark.trec");
        spark("rerank", "--master", "local[2]", "--run", firstStage.toString(), "--queries", queries.toString(),
                "--corpus", corpus.toString(), "--model", crossEncoder.toString(), "--depth", "20", "--batch-size", "8",
                "--partitions", "3", "--output", actual.toString(), "--quiet");
        assertEquals(Files.readString(expected), Files.readString(actual));
        assertTrue(!Files.exists(dir.resolve("rerank-spark.trec.parts")), "the parts are deleted after success");
    }

    @Test
    void anMsMarcoCollectionIsEncodedAsTheCommandLineEncodesIt() throws IOException {
        StringBuilder tsv = new StringBuilder();
        var documents = dev.ranker4j.ir.retrieval.TextFiles.documents(corpus);
        int n = 0;
        for (var document : documents.entrySet()) {
            if (n++ == 60) break;
            tsv.append(document.getKey().substring(1)).append('\t').append(document.getValue()).append('\n');
        }
        Path collection = Files.writeString(dir.resolve("collection.tsv"), tsv);
        Path expected = dir.resolve("collection.vec");
        cli("encode", "--model", encoder.toString(), "--input", collection.toString(), "--output", expected.toString(),
                "--batch-size", "4", "--normalize", "--quiet");
        Path actual = dir.resolve("collection.parquet");
        spark("encode", "--master", "local[2]", "--model", encoder.toString(), "--input", collection.toString(),
                "--output", actual.toString(), "--batch-size", "4", "--normalize", "--partitions", "3", "--quiet");
        DenseVectors cliVectors = VectorFiles.read(expected);
        Map<String, float[]> sparkVectors = readAll(actual);
        assertEquals(60, sparkVectors.size());
        for (int i = 0; i < cliVectors.size(); i++) {
            assertArrayEquals(cliVectors.vector(i), sparkVectors.get(cliVectors.ids().get(i)), 0f);
        }
        for (var file : VectorParquet.files(actual.toString(), new Configuration())) {
            assertTrue(VectorParquet.read(file, new Configuration()).normalized(), "the footer says normalized");
        }
    }

    @Test
    void aBadLineIsNamedInOneLine() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"_id\": \"a\", \"text\": \"x\"}\n{\"_id\": 1.5}\n");
        String error = sparkFailure("encode", "--master", "local[2]", "--model", encoder.toString(), "--input",
                bad.toString(), "--output", dir.resolve("bad.parquet").toString(), "--quiet");
        assertTrue(error.startsWith("spark encode: ") && error.contains("bad.jsonl") && error.contains("bad.jsonl:2:"), error);
        assertEquals(1, error.strip().lines().count(), error);
    }

    static Map<String, float[]> readAll(Path parquet) {
        Map<String, float[]> all = new HashMap<>();
        for (var file : VectorParquet.files(parquet.toString(), new Configuration())) {
            DenseVectors part = VectorParquet.read(file, new Configuration());
            for (int i = 0; i < part.size(); i++) all.put(part.ids().get(i), part.vector(i));
        }
        return all;
    }

    static void cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new ByteArrayOutputStream(), true));
        int status = commandLine.execute(args);
        assertEquals(0, status, "ranker4j " + String.join(" ", args) + ": " + err);
    }

    static String spark(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var commandLine = SparkMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        assertEquals(0, status, "ranker4j spark " + String.join(" ", args) + ": " + err);
        return out.toString();
    }

    static String sparkFailure(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var commandLine = SparkMain.commandLine();
        commandLine.setOut(new PrintWriter(new ByteArrayOutputStream(), true));
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(1, commandLine.execute(args), "ranker4j spark " + String.join(" ", args) + " should fail");
        return err.toString();
    }
}
