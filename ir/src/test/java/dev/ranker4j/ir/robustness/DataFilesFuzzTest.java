package dev.ranker4j.ir.robustness;

import dev.ranker4j.ir.data.BeirFormat;
import dev.ranker4j.ir.data.DataFormatException;
import dev.ranker4j.ir.data.Document;
import dev.ranker4j.ir.data.Judgment;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.RunEntry;
import dev.ranker4j.ir.data.TrecFormat;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.ir.retrieval.VectorFiles;
import dev.ranker4j.ir.retrieval.VectorFormatException;
import dev.ranker4j.testkit.Fuzz;
import dev.ranker4j.testkit.Mutation;
import net.jqwik.api.Example;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The data readers under random mutations of valid files (testkit {@link Fuzz}: the same result, a
 * {@link DataFormatException} / {@link VectorFormatException} naming the file, or another valid reading; never
 * another exception, a hang, or a reading that could not be written back). A mutated file often is another valid
 * file (a digit of a score changed), so the judge checks that what was read is representable: written back with the
 * project's writer and read again, it reads the same.
 */
class DataFilesFuzzTest {
    /** jqwik runs the examples (the mutations are drawn inside its lifecycle); each gets a directory of its own. */
    private final Path dir = dev.ranker4j.testkit.Fuzz.temporaryDirectory("ranker4j-fuzz-ir-");

    private static String run() {
        StringBuilder run = new StringBuilder();
        for (int q = 1; q <= 3; q++) {
            for (int d = 1; d <= 5; d++) {
                run.append("q").append(q).append(" Q0 doc-").append(q * 10 + d).append(' ').append(d).append(' ')
                        .append(10.5 - d * 1.25).append(" bm25\n");
            }
        }
        return run.toString();
    }

    @Example
    void trecRuns() throws Exception {
        byte[] original = run().getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("run.trec"), copy = dir.resolve("copy.trec");
        Fuzz.requireClean(Fuzz.run("trec-run", file, original, Mutation.anywhere(original.length),
                f -> Run.readTrec(f).entries("t"),
                (before, after, m) -> {
                    TrecFormat.writeRun(copy, after);
                    List<RunEntry> again = Run.readTrec(copy).entries("t");
                    return again.equals(after) ? null : "reads " + after.size() + " entries that do not read back the same";
                }, DataFormatException.class));
    }

    @Example
    void trecQrels() throws Exception {
        StringBuilder qrels = new StringBuilder();
        for (int q = 1; q <= 3; q++) for (int d = 1; d <= 4; d++) qrels.append(q).append(" 0 d").append(d).append(' ').append(d % 3).append('\n');
        byte[] original = qrels.toString().getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("qrels.txt"), copy = dir.resolve("copy.txt");
        Fuzz.requireClean(Fuzz.run("trec-qrels", file, original, Mutation.anywhere(original.length),
                f -> Qrels.read(f).judgments(),
                (before, after, m) -> {
                    TrecFormat.writeQrels(copy, after);
                    return Qrels.read(copy).judgments().equals(after) ? null : "judgments that do not read back the same";
                }, DataFormatException.class));
    }

    @Example
    void beirQrels() throws Exception {
        String qrels = "query-id\tcorpus-id\tscore\n1\t31715818\t1\n3\t14717500\t1\n5\t13734012\t1\n13\t1606628\t2\n";
        byte[] original = qrels.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("test.tsv"), copy = dir.resolve("copy.tsv");
        Fuzz.requireClean(Fuzz.run("beir-qrels", file, original, Mutation.anywhere(original.length),
                f -> Qrels.read(f).judgments(),
                (before, after, m) -> {
                    BeirFormat.writeQrels(copy, after);
                    return Qrels.read(copy).judgments().equals(after) ? null : "judgments that do not read back the same";
                }, DataFormatException.class));
    }

    @Example
    void beirCorpus() throws Exception {
        String corpus = """
                {"_id": "4983", "title": "Microstructural development of human newborn cerebral white matter", "text": "Alterations of the architecture of cerebral white matter."}
                {"_id": "5836", "title": "", "text": "Myelodysplastic syndromes (MDS) are age-dependent stem cell malignancies.", "metadata": {}}
                {"_id": 7912, "text": "The 2009 influenza pandemic \\u00e9 caf\\u00e9 \\ud83d\\ude00"}
                """;
        byte[] original = corpus.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("corpus.jsonl"), copy = dir.resolve("copy.jsonl");
        Fuzz.requireClean(Fuzz.run("beir-corpus", file, original, Mutation.anywhere(original.length),
                f -> {
                    Map<String, String> texts = TextFiles.documents(f); // duplicate ids are refused here
                    try (Stream<Document> stream = BeirFormat.readCorpus(f)) {
                        return stream.toList();
                    }
                },
                (before, after, m) -> {
                    BeirFormat.writeCorpus(copy, after);
                    try (Stream<Document> again = BeirFormat.readCorpus(copy)) {
                        List<Document> back = again.toList();
                        return back.equals(after) ? null : "documents " + after + " read back as " + back;
                    }
                }, DataFormatException.class));
    }

    @Example
    void vectorFiles() throws Exception {
        float[][] rows = {{0.6f, 0.8f, 0, 0}, {0, 0, 1, 0}, {0.5f, 0.5f, 0.5f, 0.5f}};
        Path file = dir.resolve("docs.vec"), copy = dir.resolve("copy.vec");
        for (boolean normalized : new boolean[] {false, true}) {
            VectorFiles.write(file, DenseVectors.of(List.of("doc-1", "doc-2", "d\u00e9j\u00e0"), rows, normalized));
            byte[] original = Files.readAllBytes(file);
            Fuzz.requireClean(Fuzz.run("vectors" + (normalized ? "-normalized" : ""), file, original,
                    Mutation.anywhere(original.length), VectorFiles::read,
                    (before, after, m) -> {
                        VectorFiles.write(copy, after);
                        return VectorFiles.read(copy).equals(after) ? null : "vectors that do not read back the same";
                    }, VectorFormatException.class));
        }
    }

    /** Not a mutation but what real files contain: a byte order mark and CRLF line ends read exactly as without. */
    @Example
    void byteOrderMarksAndCrlfLineEndsReadTheSame() throws Exception {
        for (String[] format : new String[][] {{"run.trec", run()},
                {"qrels.txt", "1 0 d1 1\n1 0 d2 0\n2 0 d3 2\n"},
                {"test.tsv", "query-id\tcorpus-id\tscore\n1\td1\t1\n2\td3\t2\n"},
                {"corpus.jsonl", "{\"_id\": \"a\", \"text\": \"x\"}\n{\"_id\": \"b\", \"title\": \"t\", \"text\": \"y\"}\n"}}) {
            Path plain = dir.resolve(format[0]);
            Path marked = dir.resolve("bom-crlf-" + format[0]);
            Files.writeString(plain, format[1]);
            Files.writeString(marked, "\uFEFF" + format[1].replace("\n", "\r\n"));
            List<Object> a = new ArrayList<>(), b = new ArrayList<>();
            switch (format[0]) {
                case "run.trec" -> { a.add(Run.readTrec(plain).entries("t")); b.add(Run.readTrec(marked).entries("t")); }
                case "corpus.jsonl" -> { a.add(TextFiles.documents(plain)); b.add(TextFiles.documents(marked)); }
                default -> { a.add(Qrels.read(plain).judgments()); b.add(Qrels.read(marked).judgments()); }
            }
            org.junit.jupiter.api.Assertions.assertEquals(a, b, format[0]);
        }
        List<Judgment> judgments = Qrels.read(dir.resolve("bom-crlf-qrels.txt")).judgments();
        org.junit.jupiter.api.Assertions.assertEquals("1", judgments.getFirst().queryId(), "the first query id has no BOM");
    }
}
