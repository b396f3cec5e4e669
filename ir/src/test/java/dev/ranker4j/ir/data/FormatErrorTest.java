package dev.ranker4j.ir.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed input fails with a message naming file, line and field; failed writes leave the old file intact. */
class FormatErrorTest {
    @TempDir
    Path dir;

    private <T> DataFormatException failure(String name, String content, Function<Path, Stream<T>> reader)
            throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return assertThrows(DataFormatException.class, () -> {
            try (Stream<T> stream = reader.apply(file)) {
                stream.forEach(item -> { });
            }
        });
    }

    private static void assertMessage(DataFormatException e, String fileName, long line, String... fragments) {
        assertTrue(e.getMessage().contains(fileName + ":" + line + ": "), e.getMessage());
        assertEquals(line, e.line());
        for (String fragment : fragments) assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void trecRunWithABadScore() throws Exception {
        var e = failure("run.txt", "q1 Q0 d1 1 1.5 t\n\nq1 Q0 d2 2 abc t\n", TrecFormat::readRun);
        assertMessage(e, "run.txt", 3, "field 'score'", "\"abc\" is not a number");
    }

    @Test
    void trecQrelsWithTooFewColumns() throws Exception {
        var e = failure("qrels.txt", "1 0 d1\n", TrecFormat::readQrels);
        assertMessage(e, "qrels.txt", 1, "expected 4", "found 3");
    }

    @Test
    void beirCorpusWithoutText() throws Exception {
        var e = failure("corpus.jsonl", "{\"_id\": \"1\", \"text\": \"ok\"}\n{\"_id\": \"2\", \"title\": \"t\"}\n",
                BeirFormat::readCorpus);
        assertMessage(e, "corpus.jsonl", 2, "field 'text'");
    }

    @Test
    void beirQueriesWithBrokenJson() throws Exception {
        var e = failure("queries.jsonl", "{\"_id\": \"1\", \"text\": \n", BeirFormat::readQueries);
        assertMessage(e, "queries.jsonl", 1, "not valid JSON");
    }

    @Test
    void beirQrelsWithAFractionalGrade() throws Exception {
        var e = failure("test.tsv", "query-id\tcorpus-id\tscore\n1\td\t0.5\n", BeirFormat::readQrels);
        assertMessage(e, "test.tsv", 2, "field 'score'", "not an integer");
    }

    @Test
    void msMarcoTriplesWithAMissingColumn() throws Exception {
        var e = failure("triples.tsv", "q\tpos\n", MsMarcoFormat::readTriples);
        assertMessage(e, "triples.tsv", 1, "expected 3 tab-separated columns");
    }

    @Test
    void groupedTrainingWithANonIntegerToken() throws Exception {
        var e = failure("train.json", "{\"qry\": {\"qid\": \"1\", \"query\": [1]}, \"pos\": [{\"pid\": \"2\", "
                + "\"passage\": [1, \"x\"]}], \"neg\": []}\n", RerankerToolkitFormat::readGrouped);
        assertMessage(e, "train.json", 1, "field 'pos[0].passage[1]'");
    }

    @Test
    void rankLlmHitWithoutScoreNamesTheLineOfItsQuery() throws Exception {
        var e = failure("c.json", "[\n{\"query\": \"a\", \"hits\": [{\"content\": \"x\", \"qid\": 1, \"docid\": \"7\","
                + " \"rank\": 1, \"score\": 1.0}]},\n{\"query\": \"b\", \"hits\": [{\"content\": \"y\", \"qid\": 2,"
                + " \"docid\": \"8\", \"rank\": 1}]}\n]\n", RankLlmFormat::read);
        assertMessage(e, "c.json", 3, "field 'hits[0].score'");
    }

    @Test
    void invalidUtf8IsReportedWithItsLine() throws Exception {
        Path file = dir.resolve("queries.tsv");
        Files.write(file, new byte[] {'1', '\t', 'o', 'k', '\n', '2', '\t', (byte) 0xC3, (byte) 0x28, '\n'});
        var e = assertThrows(DataFormatException.class, () -> {
            try (var s = MsMarcoFormat.readQueries(file)) {
                s.forEach(q -> { });
            }
        });
        assertMessage(e, "queries.tsv", 2, "not valid UTF-8");
    }

    @Test
    void duplicatesInRunsAndQrelsAreErrors() throws Exception {
        Files.writeString(dir.resolve("run.txt"), "q Q0 d 1 1 t\nq Q0 d 2 0.5 t\n");
        Files.writeString(dir.resolve("qrels.txt"), "q 0 d 1\nq 0 d 0\n");
        var run = assertThrows(DataFormatException.class, () -> Run.readTrec(dir.resolve("run.txt")));
        assertMessage(run, "run.txt", 2, "listed twice");
        var qrels = assertThrows(DataFormatException.class, () -> Qrels.read(dir.resolve("qrels.txt")));
        assertMessage(qrels, "qrels.txt", 2, "judged twice");
    }

    @Test
    void missingFileIsAOneLineError() {
        var e = assertThrows(DataFormatException.class, () -> Run.readTrec(dir.resolve("absent.txt")));
        assertTrue(e.getMessage().endsWith("absent.txt: no such file"), e.getMessage());
    }

    @Test
    void aFailedWriteLeavesTheExistingFileAndNoTemporaryFiles() throws Exception {
        Path target = dir.resolve("queries.tsv");
        Files.writeString(target, "old content\n");
        assertThrows(IllegalArgumentException.class, () -> MsMarcoFormat.writeQueries(target,
                List.of(new Query("1", "fine"), new Query("2", "has\ta tab"))));
        assertEquals("old content\n", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }
}
