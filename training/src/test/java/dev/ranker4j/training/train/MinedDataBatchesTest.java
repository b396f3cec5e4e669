package dev.ranker4j.training.train;

import dev.ranker4j.ir.data.GroupedTrainingExample;
import dev.ranker4j.ir.data.TokenizedPassage;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.sampling.ListwiseInstance;
import dev.ranker4j.training.sampling.TasBalancedInstance;
import dev.ranker4j.training.sampling.TeacherPair;
import dev.ranker4j.transformer.bert.BertInput;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch sources over mined data: grouped LCE examples, TAS-Balanced batches, RocketQAv2 listwise instances. */
class MinedDataBatchesTest {
    private static WordPieceTokenizer tokenizer;
    private static TrainingInputs inputs;
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();
    private static final Map<String, String> PASSAGES = new LinkedHashMap<>();

    @BeforeAll
    static void tinyVocabulary(@TempDir Path dir) throws IOException {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[unused0]", "[unused1]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (char c = 'a'; c <= 'z'; c++) vocab.add(String.valueOf(c));
        for (char c = 'a'; c <= 'z'; c++) vocab.add("##" + c);
        Files.write(dir.resolve("vocab.txt"), vocab);
        tokenizer = WordPieceTokenizer.fromDirectory(dir);
        inputs = new TrainingInputs(tokenizer, 16);
        for (int q = 0; q < 3; q++) QUERIES.put("q" + q, "q " + "abc".charAt(q));
        for (int p = 0; p < 8; p++) PASSAGES.put("p" + p, "doc " + "abcdefgh".charAt(p)); // short: nothing is truncated
    }

    private static int[] textIds(String text) {
        int[] ids = tokenizer.encode(text).ids();
        return Arrays.copyOfRange(ids, 1, ids.length - 1);
    }

    private static GroupedTrainingExample grouped(String query, List<String> positives, List<String> negatives) {
        return new GroupedTrainingExample(query, textIds(QUERIES.get(query)),
                positives.stream().map(p -> new TokenizedPassage(p, textIds(PASSAGES.get(p)))).toList(),
                negatives.stream().map(p -> new TokenizedPassage(p, textIds(PASSAGES.get(p)))).toList());
    }

    /** Row {@code row} of a batch's input ids without padding. */
    private static long[] row(BertInput input, int row) {
        int seq = input.sequenceLength();
        long[] ids = Arrays.copyOfRange(input.inputIds().toLongArray(), row * seq, (row + 1) * seq);
        long[] mask = Arrays.copyOfRange(input.attentionMask().toLongArray(), row * seq, (row + 1) * seq);
        return Arrays.copyOf(ids, (int) Arrays.stream(mask).sum());
    }

    private static long[] pairIds(String query, String passage) {
        return Arrays.stream(tokenizer.encodePair(QUERIES.get(query), PASSAGES.get(passage),
                dev.ranker4j.tokenizer.Truncation.longestFirst(16)).ids()).asLongStream().toArray();
    }

    @Test
    void groupedExamplesBecomeLceGroupsPositiveFirst() {
        List<GroupedTrainingExample> examples = List.of(grouped("q0", List.of("p0"), List.of("p1", "p2", "p3", "p4")),
                grouped("q1", List.of("p5", "p6"), List.of("p7", "p0", "p1")), grouped("q2", List.of("p2"), List.of("p3")));
        GroupedExampleBatches source = new GroupedExampleBatches(examples, inputs, 4, 2, 11);
        assertEquals(2, source.batchesPerEpoch());
        for (long index = 0; index < 4; index++) {
            PairBatch batch = source.batch(index);
            assertEquals(4, batch.groupSize());
            assertEquals(2, batch.queries());
            assertArrayEquals(batch.pairs().inputIds().toLongArray(), source.batch(index).pairs().inputIds().toLongArray(),
                    "batch " + index + " is a pure function of its index");
            for (int q = 0; q < 2; q++) {
                GroupedTrainingExample example = examples.get((int) ((index * 2 + q) % 3));
                Set<String> seen = new HashSet<>();
                for (int row = 0; row < 4; row++) {
                    int k = row;
                    long[] ids = row(batch.pairs(), q * 4 + k);
                    List<TokenizedPassage> pool = k == 0 ? example.positives() : example.negatives();
                    String passage = pool.stream().map(TokenizedPassage::passageId)
                            .filter(p -> Arrays.equals(pairIds(example.queryId(), p), ids)).findFirst()
                            .orElseThrow(() -> new AssertionError("row is not a pair of the example's " + (k == 0 ? "positives" : "negatives")));
                    if (k > 0) seen.add(passage);
                }
                // Without replacement when the example has enough negatives; all of them (repeating) when it has fewer.
                assertEquals(Math.min(3, example.negatives().size()), seen.size(), example.queryId());
            }
        }
    }

    @Test
    void groupedExampleWithoutNegativesIsRefusedByQuery() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GroupedExampleBatches(
                List.of(grouped("q0", List.of("p0"), List.of())), inputs, 4, 1, 1));
        assertTrue(e.getMessage().contains("query q0"), e.getMessage());
    }

    @Test
    void tasBalancedBatchesCarryTheFilesTeacherScores() {
        List<List<TasBalancedInstance>> batches = List.of(
                List.of(new TasBalancedInstance("q0", 0, new TeacherPair("p0", "p1", 5f, 1f)),
                        new TasBalancedInstance("q1", 0, new TeacherPair("p2", "p3", 4f, 3.5f))),
                List.of(new TasBalancedInstance("q2", 1, new TeacherPair("p4", "p5", 2f, -1f)),
                        new TasBalancedInstance("q0", 1, new TeacherPair("p0", "p6", 5f, 0f))));
        TasBalancedBatches source = new TasBalancedBatches(batches, QUERIES, PASSAGES, inputs);
        assertEquals(2, source.batchesPerEpoch());
        TasBatch third = source.batch(2); // wraps to the file's batch 0
        assertArrayEquals(new float[] {5f, 4f}, third.teacherPositive().toFloatArray());
        assertArrayEquals(new float[] {1f, 3.5f}, third.teacherNegative().toFloatArray());
        TasBatch second = source.batch(1);
        assertArrayEquals(new float[] {2f, 5f}, second.teacherPositive().toFloatArray());
        // Passage rows: positives of the queries, then their negatives.
        assertEquals(4, second.passages().batchSize());
        assertArrayEquals(Arrays.stream(tokenizer.encode(PASSAGES.get("p5")).ids()).asLongStream().toArray(),
                row(second.passages(), 2));
        assertArrayEquals(Arrays.stream(tokenizer.encode(QUERIES.get("q2")).ids()).asLongStream().toArray(),
                row(second.queries(), 0));
        assertEquals(2, second.colbertQueries().batchSize());
    }

    @Test
    void tasBalancedBatchNamesAMissingText() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TasBalancedBatches(
                List.of(List.of(new TasBalancedInstance("q0", 0, new TeacherPair("p0", "nope", 1f, 0f)))), QUERIES,
                PASSAGES, inputs));
        assertTrue(e.getMessage().contains("batch 0: passage nope has no text"), e.getMessage());
    }

    @Test
    void listwiseInstancesBecomeRocketQaLists() {
        List<ListwiseInstance> instances = List.of(new ListwiseInstance("q0", List.of("p0", "p1", "p2"), false),
                new ListwiseInstance("q1", List.of("p3", "p4", "p5"), true),
                new ListwiseInstance("q2", List.of("p6", "p7", "p0"), true));
        ListwiseInstanceBatches source = new ListwiseInstanceBatches(instances, QUERIES, PASSAGES, inputs, 2);
        assertEquals(3, source.listSize());
        assertEquals(2, source.batchesPerEpoch());
        ListwiseBatch batch = source.batch(1); // instances 2 and 0
        assertEquals(3, batch.listSize());
        assertArrayEquals(pairIds("q2", "p6"), row(batch.pairs(), 0));
        assertArrayEquals(pairIds("q0", "p2"), row(batch.pairs(), 5));
        assertArrayEquals(Arrays.stream(tokenizer.encode(PASSAGES.get("p7")).ids()).asLongStream().toArray(),
                row(batch.passages(), 1));
    }

    @Test
    void listwiseInstancesOfDifferentSizesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ListwiseInstanceBatches(List.of(
                new ListwiseInstance("q0", List.of("p0", "p1", "p2"), false),
                new ListwiseInstance("q1", List.of("p3", "p4"), false)), QUERIES, PASSAGES, inputs, 1));
        assertTrue(e.getMessage().contains("instance 1 (query q1) has 2 passages"), e.getMessage());
    }
}
