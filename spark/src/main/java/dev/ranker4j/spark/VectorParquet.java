package dev.ranker4j.spark;

import dev.ranker4j.ir.retrieval.DenseVectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Vectors as Parquet: one file per partition, rows {@code (id: string, vector: array<float>)}, Spark's own layout for
 * those types (a three-level LIST), so {@code spark.read().parquet(dir)} reads a directory of them and the index and
 * search jobs read a directory written by {@code SparkEmbedder} + {@code DataFrameWriter.parquet}. A file written
 * here records in its footer whether the vectors were L2-normalised ({@code ranker4j.normalized}), as the vector
 * file's flag does (docs/VECTORS.md).
 */
final class VectorParquet {
    private VectorParquet() {}

    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message spark_schema {
              required binary id (STRING);
              required group vector (LIST) {
                repeated group list {
                  required float element;
                }
              }
            }""");
    static final String NORMALIZED = "ranker4j.normalized";

    /** Writes {@code vectors} to {@code file} (which must not exist yet). */
    static void write(Path file, DenseVectors vectors, Configuration conf) {
        try (ParquetWriter<Integer> writer = new Builder(file, vectors, conf)
                .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (int i = 0; i < vectors.size(); i++) writer.write(i);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads one Parquet file of (id, vector) rows; {@code normalized} as its footer says (false when absent). */
    static DenseVectors read(Path file, Configuration conf) {
        boolean normalized;
        try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
            normalized = "true".equals(footer.getFileMetaData().getKeyValueMetaData().get(NORMALIZED));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> ids = new ArrayList<>();
        float[] data = new float[1024];
        int dimension = -1;
        int filled = 0;
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
            for (Group row = reader.read(); row != null; row = reader.read()) {
                ids.add(row.getString("id", 0));
                Group list = row.getGroup("vector", 0);
                int length = list.getFieldRepetitionCount("list");
                if (dimension < 0) dimension = length;
                if (length != dimension) {
                    throw new IllegalArgumentException(file + ": vector of " + ids.getLast() + " has " + length
                            + " floats, the first one " + dimension);
                }
                if (filled + length > data.length) data = Arrays.copyOf(data, Math.max(filled + length, 2 * data.length));
                for (int j = 0; j < length; j++) data[filled++] = list.getGroup("list", j).getFloat("element", 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) throw e;
            throw new IllegalArgumentException(file + ": not a Parquet file of (id: string, vector: array<float>) rows: "
                    + e.getMessage(), e);
        }
        if (ids.isEmpty()) return null;
        return new DenseVectors(ids, dimension, normalized, Arrays.copyOf(data, filled));
    }

    /**
     * The Parquet files of a directory in name order (Spark's convention: names starting with {@code _} or {@code .}
     * are not data), or the file itself.
     */
    static List<Path> files(String location, Configuration conf) {
        Path path = new Path(location);
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) throw new IllegalArgumentException(location + ": no such file or directory");
            if (fs.getFileStatus(path).isFile()) return List.of(path);
            List<Path> files = new ArrayList<>();
            for (FileStatus status : fs.listStatus(path)) {
                String name = status.getPath().getName();
                if (status.isFile() && name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".")) {
                    files.add(status.getPath());
                }
            }
            files.sort(null);
            if (files.isEmpty()) throw new IllegalArgumentException(location + ": no .parquet files");
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + location + ": " + e.getMessage(), e);
        }
    }

    /** Writes row {@code i} of the vectors as (id, vector). */
    private static final class VectorWriteSupport extends WriteSupport<Integer> {
        private final DenseVectors vectors;
        private RecordConsumer out;

        VectorWriteSupport(DenseVectors vectors) {
            this.vectors = vectors;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(SCHEMA, Map.of(NORMALIZED, Boolean.toString(vectors.normalized())));
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Integer row) {
            int dimension = vectors.dimension();
            float[] data = vectors.data();
            out.startMessage();
            out.startField("id", 0);
            out.addBinary(Binary.fromString(vectors.ids().get(row)));
            out.endField("id", 0);
            out.startField("vector", 1);
            out.startGroup();
            out.startField("list", 0);
            for (int j = row * dimension; j < (row + 1) * dimension; j++) {
                out.startGroup();
                out.startField("element", 0);
                out.addFloat(data[j]);
                out.endField("element", 0);
                out.endGroup();
            }
            out.endField("list", 0);
            out.endGroup();
            out.endField("vector", 1);
            out.endMessage();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
        private final DenseVectors vectors;

        Builder(Path file, DenseVectors vectors, Configuration conf) throws IOException {
            super(HadoopOutputFile.fromPath(file, conf));
            this.vectors = vectors;
            withConf(conf);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
            return new VectorWriteSupport(vectors);
        }
    }
}
