package dev.ranker4j.tokenizer;

import dev.ranker4j.testkit.SharedData;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case Hugging Face tokenizers 0.23.2 produced for all-MiniLM-L6-v2's tokenizer (bert-base-uncased vocabulary):
 * ids, type ids and tokens must all be identical, and the 10 refused only_second cases must be refused with HF's
 * message.
 */
class HuggingFaceParityTest {
    private static final String CASES = "reference/tokenizer/bert-base-uncased-wordpiece.jsonl";
    private static final String MODEL = "models/all-MiniLM-L6-v2";

    private static ReferenceCases reference;
    private static Path model;

    @BeforeAll
    static void load() {
        reference = ReferenceCases.read(SharedData.require(CASES));
        model = SharedData.require(MODEL);
    }

    @Test
    void tokenizerJsonMatchesEveryReferenceCase() {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromTokenizerJson(model.resolve("tokenizer.json"));
        assertAllMatch(tokenizer, "tokenizer.json");
    }

    @Test
    void vocabTxtAndConfigMatchEveryReferenceCase() {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(model.resolve("vocab.txt"),
                model.resolve("tokenizer_config.json"));
        assertAllMatch(tokenizer, "vocab.txt + tokenizer_config.json");
        assertEquals(512, tokenizer.modelMaxLength().orElseThrow());
    }

    @Test
    void bothFormatsEncodeIdentically() {
        WordPieceTokenizer fromJson = WordPieceTokenizer.fromTokenizerJson(model.resolve("tokenizer.json"));
        WordPieceTokenizer fromVocab = WordPieceTokenizer.fromVocab(model.resolve("vocab.txt"),
                model.resolve("tokenizer_config.json"));
        for (ReferenceCases.Case c : reference.cases()) {
            ReferenceCases.Outcome a = c.run(fromJson);
            ReferenceCases.Outcome b = c.run(fromVocab);
            assertEquals(a.encoding(), b.encoding(), () -> "line " + c.line());
            assertEquals(a.error(), b.error(), () -> "line " + c.line());
        }
    }

    @Test
    void trieSearchEqualsHashMapSearchOnEveryCase() {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromTokenizerJson(model.resolve("tokenizer.json"));
        for (ReferenceCases.Case c : reference.cases()) {
            for (String text : c.textPair() == null ? List.of(c.text()) : List.of(c.text(), c.textPair())) {
                int[] fast = tokenizer.tokenIds(text, false).toArray();
                int[] slow = tokenizer.tokenIds(text, true).toArray();
                assertTrue(Arrays.equals(fast, slow), () -> "line " + c.line() + ": trie " + Arrays.toString(fast)
                        + " vs hash map " + Arrays.toString(slow));
            }
        }
    }

    /**
     * {@code longest_first} pairs in which both sequences must be cut, with odd and even budgets, the first or the
     * second longer, and equal lengths: the shared reference has none of these. Written by Hugging Face tokenizers
     * 0.23.2 itself (scripts/hf-truncation-cases.js, through the library's Node binding): with an odd budget the
     * LONGER sequence keeps the extra token (truncate_encodings: shorter = m / 2, longer = m / 2 + m % 2), and on
     * equal lengths the second does.
     */
    @Test
    void longestFirstWithBothSequencesCutMatchesHuggingFace() throws Exception {
        Path cases = Path.of(HuggingFaceParityTest.class.getResource("hf-longest-first-both-cut.jsonl").toURI());
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromTokenizerJson(model.resolve("tokenizer.json"));
        List<String> failures = new ArrayList<>();
        int oddBudgets = 0;
        List<ReferenceCases.Case> all = ReferenceCases.read(cases).cases();
        for (ReferenceCases.Case c : all) {
            if ((c.maxLength() - 3) % 2 == 1) oddBudgets++;
            ReferenceCases.Outcome outcome = c.run(tokenizer);
            if (!c.matches(outcome)) failures.add(c.describe(outcome));
        }
        assertEquals(108, all.size());
        assertTrue(oddBudgets >= 40, "odd budgets: " + oddBudgets);
        assertEquals(List.of(), failures);
    }

    private static void assertAllMatch(WordPieceTokenizer tokenizer, String source) {
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (ReferenceCases.Case c : reference.cases()) {
            ReferenceCases.Outcome outcome = c.run(tokenizer);
            if (c.matches(outcome)) {
                passed++;
            } else if (failures.size() < 5) {
                failures.add(c.describe(outcome));
            }
        }
        int total = reference.cases().size();
        int identical = passed;
        System.out.printf("tokenizer parity (%s): %d / %d cases identical to Hugging Face%n", source, identical, total);
        assertEquals(2553, total, "reference file should hold 2,553 cases");
        assertEquals(total, identical, () -> (total - identical) + " cases differ from HF; first ones:\n"
                + String.join("\n", failures));
    }
}
