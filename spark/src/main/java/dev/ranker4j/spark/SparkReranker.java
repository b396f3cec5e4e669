package dev.ranker4j.spark;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.util.Arrays;
import java.util.Iterator;

/**
 * A Spark ML stage that scores (query, passage) text columns into a score column with a ranker4j re-ranker: a
 * cross-encoder (default), ColBERT or a dual encoder, as {@code ranker4j rerank --kind}.
 *
 * <pre>{@code
 * SparkReranker reranker = new SparkReranker().setModel("/models/my-cross-encoder")
 *         .setQueryCol("query").setPassageCol("passage").setOutputCol("score");
 * Dataset<Row> scored = reranker.transform(pairs);     // + score: float
 * }</pre>
 *
 * <p>The model is loaded once per executor JVM and shared by its task threads. Inside a partition the rows are taken
 * {@code windowSize} at a time and grouped by query; each query's passages are sorted longest first and scored in
 * batches of {@code batchSize}. Rows keep their order; a null query or passage gets a null score. Persistence as
 * {@link SparkEmbedder}: the parameters are saved, the model directory referenced.
 */
public final class SparkReranker extends Transformer implements DefaultParamsWritable {
    private final String uid;
    private final Param<String> queryCol;
    private final Param<String> passageCol;
    private final Param<String> outputCol;
    private final Param<String> model;
    private final Param<String> kind;
    private final IntParam maxLength;
    private final IntParam queryLength;
    private final IntParam batchSize;
    private final IntParam windowSize;
    private final IntParam threadsPerTask;

    public SparkReranker() {
        this(Identifiable$.MODULE$.randomUID("ranker4jReranker"));
    }

    public SparkReranker(String uid) {
        this.uid = uid;
        queryCol = new Param<>(this, "queryCol", "the query text column");
        passageCol = new Param<>(this, "passageCol", "the passage text column");
        outputCol = new Param<>(this, "outputCol", "the score column to add");
        model = new Param<>(this, "model", "re-ranking model: a directory readable on every executor, or ORG/NAME"
                + " from the Hugging Face cache");
        kind = new Param<>(this, "kind", "cross_encoder, colbert or dual_encoder",
                ParamValidators.inArray(new String[]{"cross_encoder", "colbert", "dual_encoder"}));
        maxLength = new IntParam(this, "maxLength", "tokens per pair (cross-encoder) or passage", ParamValidators.gtEq(1));
        queryLength = new IntParam(this, "queryLength", "query tokens (ColBERT, dual encoder)", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "pairs per forward pass", ParamValidators.gtEq(1));
        windowSize = new IntParam(this, "windowSize", "rows of a partition grouped and sorted together (0: the whole"
                + " partition)", ParamValidators.gtEq(0));
        threadsPerTask = new IntParam(this, "threadsPerTask", "kernel threads per task (0: spark.task.cpus)",
                ParamValidators.gtEq(0));
        setDefault(queryCol, "query");
        setDefault(passageCol, "passage");
        setDefault(outputCol, "score");
        setDefault(kind, "cross_encoder");
        setDefault(maxLength, 256);
        setDefault(queryLength, 32);
        setDefault(batchSize, 32);
        setDefault(windowSize, 4096);
        setDefault(threadsPerTask, 0);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> queryCol() { return queryCol; }
    public Param<String> passageCol() { return passageCol; }
    public Param<String> outputCol() { return outputCol; }
    public Param<String> model() { return model; }
    public Param<String> kind() { return kind; }
    public IntParam maxLength() { return maxLength; }
    public IntParam queryLength() { return queryLength; }
    public IntParam batchSize() { return batchSize; }
    public IntParam windowSize() { return windowSize; }
    public IntParam threadsPerTask() { return threadsPerTask; }

    public SparkReranker setQueryCol(String value) { set(queryCol, value); return this; }
    public SparkReranker setPassageCol(String value) { set(passageCol, value); return this; }
    public SparkReranker setOutputCol(String value) { set(outputCol, value); return this; }
    public SparkReranker setModel(String value) { set(model, value); return this; }
    public SparkReranker setKind(String value) { set(kind, value); return this; }
    public SparkReranker setMaxLength(int value) { set(maxLength, value); return this; }
    public SparkReranker setQueryLength(int value) { set(queryLength, value); return this; }
    public SparkReranker setBatchSize(int value) { set(batchSize, value); return this; }
    public SparkReranker setWindowSize(int value) { set(windowSize, value); return this; }
    public SparkReranker setThreadsPerTask(int value) { set(threadsPerTask, value); return this; }

    public String getQueryCol() { return $(queryCol); }
    public String getPassageCol() { return $(passageCol); }
    public String getOutputCol() { return $(outputCol); }
    public String getModel() { return $(model); }
    public String getKind() { return $(kind); }
    public int getMaxLength() { return (Integer) $(maxLength); }
    public int getQueryLength() { return (Integer) $(queryLength); }
    public int getBatchSize() { return (Integer) $(batchSize); }
    public int getWindowSize() { return (Integer) $(windowSize); }
    public int getThreadsPerTask() { return (Integer) $(threadsPerTask); }

    /** The per-partition scorer these parameters describe. */
    PairWindowScorer windowScorer() {
        if (!isDefined(model)) throw new IllegalArgumentException(uid + ": the model parameter is not set");
        return new PairWindowScorer(getModel(), ExecutorModels.ScorerKind.valueOf(getKind()), getMaxLength(),
                getQueryLength(), getBatchSize(), getWindowSize(), getThreadsPerTask());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        PairWindowScorer scorer = windowScorer();
        int queryColumn = dataset.schema().fieldIndex(getQueryCol());
        int passageColumn = dataset.schema().fieldIndex(getPassageCol());
        LongAccumulator scored = dataset.sparkSession().sparkContext().longAccumulator("ranker4j pairs scored");
        MapPartitionsFunction<Row, Row> score = rows -> {
            Iterator<PairWindowScorer.Scored<Row>> out = scorer.score(rows, row -> row.getString(queryColumn),
                    row -> row.getString(passageColumn), scored);
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return out.hasNext();
                }

                @Override
                public Row next() {
                    PairWindowScorer.Scored<Row> next = out.next();
                    Object[] values = new Object[next.row().size() + 1];
                    for (int i = 0; i < next.row().size(); i++) values[i] = next.row().get(i);
                    values[values.length - 1] = next.score();
                    return RowFactory.create(values);
                }
            };
        };
        return dataset.toDF().mapPartitions(score, Encoders.row(schema));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        for (String column : new String[]{getQueryCol(), getPassageCol()}) {
            if (!Arrays.asList(schema.fieldNames()).contains(column)) {
                throw new IllegalArgumentException("input column " + column + " does not exist; columns: "
                        + String.join(", ", schema.fieldNames()));
            }
            DataType type = schema.apply(column).dataType();
            if (!type.equals(DataTypes.StringType)) {
                throw new IllegalArgumentException("input column " + column + " must be a string, not "
                        + type.simpleString());
            }
        }
        if (Arrays.asList(schema.fieldNames()).contains(getOutputCol())) {
            throw new IllegalArgumentException("output column " + getOutputCol() + " already exists");
        }
        return schema.add(new StructField(getOutputCol(), DataTypes.FloatType, true, Metadata.empty()));
    }

    @Override
    public SparkReranker copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Spark ML persistence: {@code SparkReranker.load(path)}, also called by {@code PipelineModel.load}. */
    public static MLReader<SparkReranker> read() {
        return new DefaultParamsReader<>();
    }

    public static SparkReranker load(String path) {
        return read().load(path);
    }
}
