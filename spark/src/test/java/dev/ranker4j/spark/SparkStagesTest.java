package dev.ranker4j.spark;

import dev.ranker4j.ir.retrieval.CorpusEncoder;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.PairScorer;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.retrieval.CrossEncoderScorer;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ML stages in local mode: values, row order, nulls, parameters, and Spark ML persistence. */
class SparkStagesTest {
    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path encoder;
    static Path crossEncoder;
    static Map<String, String> documents;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.session();
        encoder = TinyModels.sentenceEncoder(Files.createDirectories(dir.resolve("encoder")));
        crossEncoder = TinyModels.crossEncoder(Files.createDirectories(dir.resolve("cross-encoder")));
        documents = TextFiles.documents(TinyModels.corpus(dir.resolve("corpus.jsonl"), 120, 3));
    }

    private static Dataset<Row> texts() {
        List<Row> rows = new ArrayList<>();
        documents.forEach((id, text) -> rows.add(RowFactory.create(id, text)));
        rows.add(RowFactory.create("empty", null));
        StructType schema = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType);
        return spark.createDataFrame(rows, schema).repartition(3);
    }

    @Test
    void embedderEncodesEveryRowInOrderAsTheEncoderDoes() throws IOException {
        Dataset<Row> input = texts();
        List<Row> before = input.collectAsList();
        SparkEmbedder embedder = new SparkEmbedder().setModel(encoder.toString()).setBatchSize(8).setWindowSize(16);
        List<Row> rows = embedder.transform(input).collectAsList();
        assertEquals(before.size(), rows.size());
        SentenceEncoder reference = SentenceEncoder.load(encoder);
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertEquals(before.get(i).getString(0), row.getString(0), "rows keep their order");
            if (row.isNullAt(1)) {
                assertNull(row.get(2), "a null text gets a null vector");
                continue;
            }
            List<Float> vector = row.getList(2);
            float[] expected = reference.encode(List.of(row.getString(1)), 256)[0];
            assertEquals(expected.length, vector.size());
            // Alone in its batch the text pads to itself; in a batch a vector moves by a few ulps at most.
            for (int j = 0; j < expected.length; j++) assertEquals(expected[j], vector.get(j), 1e-6f);
        }
    }

    @Test
    void aWholePartitionWindowGivesTheBatchesOfCorpusEncoder() throws IOException {
        Dataset<Row> input = texts().filter("text is not null").coalesce(1);
        List<Row> rows = new SparkEmbedder().setModel(encoder.toString()).setBatchSize(8).setWindowSize(0)
                .setNormalize(true).transform(input).collectAsList();
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Row row : rows) {
            ids.add(row.getString(0));
            texts.add(row.getString(1));
        }
        DenseVectors expected = new CorpusEncoder(SentenceEncoder.load(encoder).withBatchSize(8)::encode, 256, 8,
                1024, true).encode(ids, texts, null, Progress.NONE);
        for (int i = 0; i < rows.size(); i++) {
            List<Float> vector = rows.get(i).getList(2);
            for (int j = 0; j < vector.size(); j++) assertEquals(expected.vector(i)[j], vector.get(j), 0f);
        }
    }

    @Test
    void embedderWritesMlVectorsOnRequestAndRefusesBadColumns() {
        Row first = new SparkEmbedder().setModel(encoder.toString()).setOutputType("vector").setOutputCol("v")
                .transform(texts().filter("text is not null")).first();
        assertEquals(16, ((Vector) first.get(2)).size());
        SparkEmbedder embedder = new SparkEmbedder().setModel(encoder.toString()).setInputCol("missing");
        var error = assertThrows(IllegalArgumentException.class, () -> embedder.transform(texts()));
        assertTrue(error.getMessage().contains("input column missing does not exist"), error.getMessage());
        var exists = assertThrows(IllegalArgumentException.class,
                () -> new SparkEmbedder().setModel(encoder.toString()).setOutputCol("id").transform(texts()));
        assertTrue(exists.getMessage().contains("output column id already exists"), exists.getMessage());
    }

    @Test
    void rerankerScoresEveryPairAsTheCrossEncoderDoes() throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> passages = new ArrayList<>(documents.values()).subList(0, 40);
        for (int i = 0; i < passages.size(); i++) rows.add(RowFactory.create("q" + (i % 3), "query " + (i % 3), passages.get(i)));
        rows.add(RowFactory.create("q9", null, "no query"));
        StructType schema = new StructType().add("qid", DataTypes.StringType).add("query", DataTypes.StringType)
                .add("passage", DataTypes.StringType);
        Dataset<Row> pairs = spark.createDataFrame(rows, schema).repartition(2);
        List<Row> before = pairs.collectAsList();
        List<Row> scored = new SparkReranker().setModel(crossEncoder.toString()).setBatchSize(4).transform(pairs)
                .collectAsList();
        PairScorer reference = new CrossEncoderScorer(WordPieceTokenizer.fromDirectory(crossEncoder),
                CrossEncoder.load(crossEncoder, DType.F32, 0), 256);
        assertEquals(before.size(), scored.size());
        for (int i = 0; i < scored.size(); i++) {
            Row row = scored.get(i);
            assertEquals(before.get(i).getString(2), row.getString(2), "rows keep their order");
            if (row.isNullAt(1)) {
                assertNull(row.get(3));
                continue;
            }
            float expected = reference.score(row.getString(1), List.of(row.getString(2)))[0];
            assertEquals(expected, row.getFloat(3), 1e-5f);
        }
    }

    @Test
    void stagesAndPipelinesAreSavedAndLoadedWithTheModelReferenced() throws IOException {
        SparkEmbedder embedder = new SparkEmbedder().setModel(encoder.toString()).setMaxLength(64).setBatchSize(4)
                .setNormalize(true).setOutputCol("embedding");
        String path = dir.resolve("embedder").toString();
        embedder.save(path);
        SparkEmbedder loaded = SparkEmbedder.load(path);
        assertEquals(embedder.uid(), loaded.uid());
        assertEquals(encoder.toString(), loaded.getModel());
        assertEquals(64, loaded.getMaxLength());
        assertEquals(4, loaded.getBatchSize());
        assertTrue(loaded.getNormalize());
        assertEquals("embedding", loaded.getOutputCol());
        try (var files = Files.walk(dir.resolve("embedder"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".safetensors")),
                    "the model is referenced, not copied");
        }

        SparkReranker reranker = new SparkReranker().setModel(crossEncoder.toString()).setQueryCol("text")
                .setPassageCol("text");
        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[]{embedder, reranker}).fit(texts());
        String pipelinePath = dir.resolve("pipeline").toString();
        pipeline.write().overwrite().save(pipelinePath);
        PipelineModel back = PipelineModel.load(pipelinePath);
        assertEquals(2, back.stages().length);
        assertEquals(crossEncoder.toString(), ((SparkReranker) back.stages()[1]).getModel());
        Dataset<Row> original = pipeline.transform(texts().filter("text is not null").limit(10));
        Dataset<Row> reloaded = back.transform(texts().filter("text is not null").limit(10));
        assertEquals(original.orderBy("id").collectAsList(), reloaded.orderBy("id").collectAsList());
    }
}
