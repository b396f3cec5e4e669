package dev.ranker4j.cli;

import dev.ranker4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ranker4j convert} end to end, in-process. */
class ConvertCommandTest {
    @TempDir
    Path dir;

    @Test
    void scoreFileToTrecAndMsMarcoRuns() throws Exception {
        Path scores = Files.writeString(dir.resolve("scores.tsv"), "1\t7\t0.2\n1\t8\t0.9\n2\t5\t-1\n");
        CliRun trec = CliRun.of("convert", "--from", "scores", "--to", "trec-run", "--tag", "ce",
                scores.toString(), dir.resolve("run.trec").toString());
        CliRun marco = CliRun.of("convert", "--from", "scores", "--to", "msmarco-run",
                scores.toString(), dir.resolve("run.tsv").toString());
        assertEquals(0, trec.exitCode(), trec.err());
        assertEquals(0, marco.exitCode(), marco.err());
        assertEquals("1 Q0 8 1 0.9 ce\n1 Q0 7 2 0.2 ce\n2 Q0 5 1 -1.0 ce\n", Files.readString(dir.resolve("run.trec")));
        assertEquals("1\t8\t1\n1\t7\t2\n2\t5\t1\n", Files.readString(dir.resolve("run.tsv")));
    }

    @Test
    void beirQrelsToTrecQrelsAndBack() throws Exception {
        Path beir = Files.writeString(dir.resolve("test.tsv"), "query-id\tcorpus-id\tscore\n1\t31715818\t1\n");
        assertEquals(0, CliRun.of("convert", "--from", "beir-qrels", "--to", "trec-qrels", beir.toString(),
                dir.resolve("qrels.txt").toString()).exitCode());
        assertEquals("1 0 31715818 1\n", Files.readString(dir.resolve("qrels.txt")));
        assertEquals(0, CliRun.of("convert", "--from", "trec-qrels", "--to", "beir-qrels",
                dir.resolve("qrels.txt").toString(), dir.resolve("back.tsv").toString()).exitCode());
        assertEquals(Files.readString(beir), Files.readString(dir.resolve("back.tsv")));
    }

    @Test
    void rankLlmJsonToTheTrecRunItCameWith() throws Exception {
        Path dl19 = SharedData.require("data/trec-dl-2019-passage/BM25");
        Path out = dir.resolve("bm25.trec");
        CliRun result = CliRun.of("convert", "--from", "rankllm", "--to", "trec-run", "--tag", "rank",
                dl19.resolve("retrieve_results_dl19.json").toString(), out.toString());
        assertEquals(0, result.exitCode(), result.err());
        // The shipped TREC file is the same run: same ids, ranks and scores line for line.
        var ours = Files.readAllLines(out);
        var theirs = Files.readAllLines(dl19.resolve("trec_results_dl19.txt"));
        assertEquals(theirs.size(), ours.size());
        for (int i = 0; i < ours.size(); i++) {
            String[] a = ours.get(i).split(" ");
            String[] b = theirs.get(i).split(" ");
            assertEquals(b[0] + b[2] + b[3], a[0] + a[2] + a[3], "line " + (i + 1));
            assertEquals(Double.parseDouble(b[4]), Double.parseDouble(a[4]), "line " + (i + 1));
        }
    }

    @Test
    void unsupportedPairsAndBadInputFailWithOneLine() throws Exception {
        Path qrels = Files.writeString(dir.resolve("q.txt"), "1 0 d 1\n");
        Path out = dir.resolve("out.txt");
        CliRun pair = CliRun.of("convert", "--from", "trec-qrels", "--to", "trec-run", qrels.toString(), out.toString());
        assertEquals(1, pair.exitCode());
        assertEquals(1, pair.err().strip().lines().count(), pair.err());
        assertTrue(pair.err().contains("cannot convert trec-qrels to trec-run"), pair.err());
        assertFalse(Files.exists(out));

        CliRun format = CliRun.of("convert", "--from", "csv", "--to", "trec-run", qrels.toString(), out.toString());
        assertEquals(1, format.exitCode());
        assertTrue(format.err().contains("unknown format 'csv'"), format.err());

        Path badScores = Files.writeString(dir.resolve("s.tsv"), "1\t7\tNaNx\n");
        Files.writeString(out, "precious\n");
        CliRun parse = CliRun.of("convert", "--from", "scores", "--to", "trec-run", badScores.toString(), out.toString());
        assertEquals(1, parse.exitCode());
        assertTrue(parse.err().contains("s.tsv:1: field 'score'"), parse.err());
        assertEquals("precious\n", Files.readString(out)); // the existing output is untouched
    }

    @Test
    void helpListsTheFormats() {
        CliRun help = CliRun.of("convert", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("msmarco-topk"), help.out());
    }
}
