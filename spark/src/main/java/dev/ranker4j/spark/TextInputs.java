package dev.ranker4j.spark;

import dev.ranker4j.ir.data.BeirFormat;
import dev.ranker4j.ir.data.Document;
import dev.ranker4j.ir.data.Line;
import dev.ranker4j.ir.data.Query;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads a corpus or query file as Spark partitions of {@link TextRow}s, parsed line by line by the same code as the
 * single-machine commands ({@code TextFiles}: BEIR JSON lines for {@code .jsonl}, {@code .jsonl.gz} and {@code .json},
 * MS MARCO {@code id TAB text} otherwise; blank lines skipped; an error names the file and line). Any Hadoop path
 * works (a local file, {@code hdfs://}, {@code s3a://}); a gzip file is one partition.
 */
final class TextInputs {
    private TextInputs() {}

    enum Kind { documents, queries }

    /** The texts of {@code file}, in file order, positions being line indexes; cached (the jobs read them twice). */
    static JavaRDD<TextRow> read(JavaSparkContext spark, String file, Kind kind, int minPartitions) {
        JavaRDD<String> lines = minPartitions > 0 ? spark.textFile(file, minPartitions) : spark.textFile(file);
        return lines.zipWithIndex()
                .filter(line -> !line._1().isBlank())
                .map(line -> parse(file, line, kind))
                .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }

    /** Fails with the first id that appears twice in {@code rows}, as the single-machine readers do. */
    static void requireUniqueIds(JavaRDD<TextRow> rows, String file) {
        List<Tuple2<String, Integer>> twice = rows.mapToPair(row -> new Tuple2<>(row.id(), 1))
                .reduceByKey(Integer::sum).filter(count -> count._2() > 1).take(1);
        if (!twice.isEmpty()) {
            throw new IllegalArgumentException(file + ": id " + twice.getFirst()._1() + " appears "
                    + twice.getFirst()._2() + " times");
        }
    }

    private static TextRow parse(String file, Tuple2<String, Long> numbered, Kind kind) {
        long index = numbered._2();
        String text = index == 0 && numbered._1().startsWith("\uFEFF") ? numbered._1().substring(1) : numbered._1();
        Line line = new Line(Path.of(file), index + 1, text);
        if (isJsonLines(file)) {
            if (kind == Kind.documents) {
                Document document = BeirFormat.parseDocument(line);
                return new TextRow(document.id(), document.titleAndText(), index);
            }
            Query query = BeirFormat.parseQuery(line);
            return new TextRow(query.id(), query.text(), index);
        }
        String[] fields = kind == Kind.documents ? line.splitTabs("pid", "passage") : line.splitTabs("qid", "query");
        return new TextRow(line.requireNonEmpty(kind == Kind.documents ? "pid" : "qid", fields[0]), fields[1], index);
    }

    /** The last part of a path or URI, for messages. */
    static String fileName(String file) {
        String trimmed = file.endsWith("/") ? file.substring(0, file.length() - 1) : file;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    static boolean isJsonLines(String file) {
        return file.endsWith(".jsonl") || file.endsWith(".jsonl.gz") || file.endsWith(".json");
    }
}
