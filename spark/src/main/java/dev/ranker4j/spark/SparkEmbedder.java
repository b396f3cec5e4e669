package dev.ranker4j.spark;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.BooleanParam;
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
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.util.Arrays;
import java.util.Iterator;

/**
 * A Spark ML stage that encodes a text column into a vector column with a ranker4j sentence encoder (any
 * sentence-transformers or Hugging Face BERT directory, as {@code ranker4j encode --model}).
 *
 * <pre>{@code
 * SparkEmbedder embedder = new SparkEmbedder().setModel("/models/all-MiniLM-L6-v2")
 *         .setInputCol("text").setOutputCol("vector");
 * Dataset<Row> vectors = embedder.transform(corpus);   // + vector: array<float>
 * embedder.save("pipelines/embedder");                 // the parameters; the model directory is referenced
 * }</pre>
 *
 * <p>The model is loaded once per executor JVM, by the first task that needs it, and shared by all its task threads
 * ({@code ExecutorModels}). Inside a partition the rows are taken {@code windowSize} at a time, sorted longest first
 * and cut into batches of {@code batchSize}, so a batch pads to nearly one length; the output keeps the input's rows
 * and their order. A null text gets a null vector. The vector is {@code array<float>} (the encoder's floats, exactly),
 * or an ML {@code Vector} of doubles with {@code outputType = "vector"}, for Spark ML's own estimators.
 *
 * <p>Persistence is Spark ML's (DefaultParamsWritable): {@code save} writes the parameters, {@code load} or
 * {@code PipelineModel.load} reads them back; the model directory is referenced by its path, never copied.
 */
public final class SparkEmbedder extends Transformer implements DefaultParamsWritable {
    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> model;
    private final IntParam maxLength;
    private final IntParam batchSize;
    private final BooleanParam normalize;
    private final IntParam windowSize;
    private final IntParam threadsPerTask;
    private final Param<String> outputType;

    public SparkEmbedder() {
        this(Identifiable$.MODULE$.randomUID("ranker4jEmbedder"));
    }

    public SparkEmbedder(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "the text column");
        outputCol = new Param<>(this, "outputCol", "the vector column to add");
        model = new Param<>(this, "model", "sentence encoder: a directory readable on every executor, or ORG/NAME"
                + " from the Hugging Face cache");
        maxLength = new IntParam(this, "maxLength", "tokens per text, special tokens included", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "texts per forward pass", ParamValidators.gtEq(1));
        normalize = new BooleanParam(this, "normalize", "L2-normalise every vector");
        windowSize = new IntParam(this, "windowSize", "rows of a partition sorted by length together (0: the whole"
                + " partition)", ParamValidators.gtEq(0));
        threadsPerTask = new IntParam(this, "threadsPerTask", "kernel threads per task (0: spark.task.cpus)",
                ParamValidators.gtEq(0));
        outputType = new Param<>(this, "outputType", "array (array<float>) or vector (ML Vector of doubles)",
                ParamValidators.inArray(new String[]{"array", "vector"}));
        setDefault(inputCol, "text");
        setDefault(outputCol, "vector");
        setDefault(maxLength, 256);
        setDefault(batchSize, 32);
        setDefault(normalize, false);
        setDefault(windowSize, 4096);
        setDefault(threadsPerTask, 0);
        setDefault(outputType, "array");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> inputCol() { return inputCol; }
    public Param<String> outputCol() { return outputCol; }
    public Param<String> model() { return model; }
    public IntParam maxLength() { return maxLength; }
    public IntParam batchSize() { return batchSize; }
    public BooleanParam normalize() { return normalize; }
    public IntParam windowSize() { return windowSize; }
    public IntParam threadsPerTask() { return threadsPerTask; }
    public Param<String> outputType() { return outputType; }

    public SparkEmbedder setInputCol(String value) { set(inputCol, value); return this; }
    public SparkEmbedder setOutputCol(String value) { set(outputCol, value); return this; }
    public SparkEmbedder setModel(String value) { set(model, value); return this; }
    public SparkEmbedder setMaxLength(int value) { set(maxLength, value); return this; }
    public SparkEmbedder setBatchSize(int value) { set(batchSize, value); return this; }
    public SparkEmbedder setNormalize(boolean value) { set(normalize, value); return this; }
    public SparkEmbedder setWindowSize(int value) { set(windowSize, value); return this; }
    public SparkEmbedder setThreadsPerTask(int value) { set(threadsPerTask, value); return this; }
    public SparkEmbedder setOutputType(String value) { set(outputType, value); return this; }

    public String getInputCol() { return $(inputCol); }
    public String getOutputCol() { return $(outputCol); }
    public String getModel() { return $(model); }
    public int getMaxLength() { return (Integer) $(maxLength); }
    public int getBatchSize() { return (Integer) $(batchSize); }
    public boolean getNormalize() { return (Boolean) $(normalize); }
    public int getWindowSize() { return (Integer) $(windowSize); }
    public int getThreadsPerTask() { return (Integer) $(threadsPerTask); }
    public String getOutputType() { return $(outputType); }

    /** The per-partition encoder these parameters describe. */
    WindowEncoder windowEncoder() {
        if (!isDefined(model)) throw new IllegalArgumentException(uid + ": the model parameter is not set");
        return new WindowEncoder(getModel(), getMaxLength(), getBatchSize(), getNormalize(), getWindowSize(),
                getThreadsPerTask());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        WindowEncoder encoder = windowEncoder();
        int textColumn = dataset.schema().fieldIndex(getInputCol());
        boolean mlVector = getOutputType().equals("vector");
        LongAccumulator encoded = dataset.sparkSession().sparkContext().longAccumulator("ranker4j texts encoded");
        MapPartitionsFunction<Row, Row> encode = rows -> {
            Iterator<WindowEncoder.Encoded<Row>> out = encoder.encode(rows, row -> row.getString(textColumn), encoded);
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return out.hasNext();
                }

                @Override
                public Row next() {
                    WindowEncoder.Encoded<Row> next = out.next();
                    Object[] values = new Object[next.row().size() + 1];
                    for (int i = 0; i < next.row().size(); i++) values[i] = next.row().get(i);
                    values[values.length - 1] = next.vector() == null ? null
                            : mlVector ? Vectors.dense(toDoubles(next.vector())) : boxed(next.vector());
                    return RowFactory.create(values);
                }
            };
        };
        return dataset.toDF().mapPartitions(encode, Encoders.row(schema));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String input = getInputCol();
        String output = getOutputCol();
        if (!Arrays.asList(schema.fieldNames()).contains(input)) {
            throw new IllegalArgumentException("input column " + input + " does not exist; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        DataType type = schema.apply(input).dataType();
        if (!type.equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("input column " + input + " must be a string, not " + type.simpleString());
        }
        if (Arrays.asList(schema.fieldNames()).contains(output)) {
            throw new IllegalArgumentException("output column " + output + " already exists");
        }
        DataType vector = getOutputType().equals("vector") ? SQLDataTypes.VectorType()
                : DataTypes.createArrayType(DataTypes.FloatType, false);
        return schema.add(new StructField(output, vector, true, org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public SparkEmbedder copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Spark ML persistence: {@code SparkEmbedder.load(path)}, also called by {@code PipelineModel.load}. */
    public static MLReader<SparkEmbedder> read() {
        return new DefaultParamsReader<>();
    }

    public static SparkEmbedder load(String path) {
        return read().load(path);
    }

    static double[] toDoubles(float[] vector) {
        double[] out = new double[vector.length];
        for (int i = 0; i < vector.length; i++) out[i] = vector[i];
        return out;
    }

    /** A float vector as Spark's row encoder takes an array<float>. */
    static Float[] boxed(float[] vector) {
        Float[] out = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) out[i] = vector[i];
        return out;
    }
}
