package dev.ranker4j.tokenizer.robustness;

import dev.ranker4j.testkit.Fuzz;
import dev.ranker4j.testkit.Mutation;
import dev.ranker4j.tokenizer.Encoding;
import dev.ranker4j.tokenizer.TokenizerFormatException;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import net.jqwik.api.Example;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * tokenizer.json and vocab.txt under random mutations (testkit {@link Fuzz}): the tokenizer loads and encodes a set
 * of probe texts to what it did before, or loading fails with a {@link TokenizerFormatException} naming the file, or
 * it is another valid tokenizer (a changed token, a changed setting) whose every encoded id has a token. Never a
 * NullPointerException, an allocation of a corrupt id's size, or a hang.
 */
class TokenizerFilesFuzzTest {
    private static final List<String> PROBES = List.of("The cat sat on the mat.", "A b-c, d! \u00c9mile's [MASK] caf\u00e9",
            "zz 42 [CLS] x", "");

    private final Path dir = Fuzz.temporaryDirectory("ranker4j-fuzz-tokenizer-");

    static List<String> vocabulary() {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "##s",
                ",", ".", "!", "-", "'", "4", "##2"));
        for (char c = 'a'; c <= 'z'; c++) vocab.add(String.valueOf(c));
        for (char c = 'a'; c <= 'z'; c++) vocab.add("##" + c);
        return vocab;
    }

    static String tokenizerJson() {
        List<String> vocab = vocabulary();
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < vocab.size(); i++) entries.append(i == 0 ? "" : ", ").append('"').append(vocab.get(i)).append("\": ").append(i);
        StringBuilder added = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            added.append(i == 0 ? "" : ",\n    ").append("{\"id\": ").append(i).append(", \"content\": \"").append(vocab.get(i))
                    .append("\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}");
        }
        return """
                {
                  "version": "1.0",
                  "truncation": null,
                  "padding": null,
                  "added_tokens": [
                    %s
                  ],
                  "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
                  "pre_tokenizer": {"type": "BertPreTokenizer"},
                  "post_processor": {
                    "type": "TemplateProcessing",
                    "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                    "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                             {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                    "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}
                  },
                  "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
                  "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
                    "vocab": {%s}}
                }
                """.formatted(added, entries);
    }

    /** Ids, type ids and tokens of every probe alone and of each pair, truncated. */
    static List<String> encodings(WordPieceTokenizer tokenizer) {
        List<String> out = new ArrayList<>();
        for (String probe : PROBES) {
            Encoding e = tokenizer.encode(probe);
            out.add(Arrays.toString(e.ids()) + Arrays.toString(e.tokens()));
            for (String other : PROBES) {
                Encoding pair = tokenizer.encodePair(probe, other, Truncation.longestFirst(9));
                out.add(Arrays.toString(pair.ids()) + Arrays.toString(pair.typeIds()) + Arrays.toString(pair.tokens()));
            }
        }
        return out;
    }

    private static String everyIdHasAToken(List<String> encodings) {
        return encodings.stream().anyMatch(e -> e.contains("null")) ? "an encoded id has no token: " + encodings : null;
    }

    @Example
    void tokenizerJsonFiles() throws Exception {
        byte[] original = tokenizerJson().getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("tokenizer.json");
        Fuzz.requireClean(Fuzz.run("tokenizer.json", file, original, Mutation.anywhere(original.length),
                f -> encodings(WordPieceTokenizer.fromTokenizerJson(f)),
                (before, after, m) -> everyIdHasAToken(after), TokenizerFormatException.class));
    }

    @Example
    void vocabTxtFiles() throws Exception {
        byte[] original = (String.join("\n", vocabulary()) + "\n").getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("vocab.txt");
        Fuzz.requireClean(Fuzz.run("vocab.txt", file, original, Mutation.anywhere(original.length),
                f -> encodings(WordPieceTokenizer.fromVocab(f, null)),
                (before, after, m) -> everyIdHasAToken(after), TokenizerFormatException.class));
    }

    /** What real files contain: a byte order mark and CRLF line ends read exactly as without. */
    @Example
    void byteOrderMarksAndCrlfLineEndsReadTheSame() throws Exception {
        Path plainVocab = Files.writeString(dir.resolve("plain.txt"), String.join("\n", vocabulary()) + "\n");
        Path markedVocab = Files.writeString(dir.resolve("marked.txt"), "\uFEFF" + String.join("\r\n", vocabulary()) + "\r\n");
        assertEquals(encodings(WordPieceTokenizer.fromVocab(plainVocab, null)), encodings(WordPieceTokenizer.fromVocab(markedVocab, null)));
        Path plainJson = Files.writeString(dir.resolve("plain.json"), tokenizerJson());
        Path markedJson = Files.writeString(dir.resolve("marked.json"), "\uFEFF" + tokenizerJson().replace("\n", "\r\n"));
        assertEquals(encodings(WordPieceTokenizer.fromTokenizerJson(plainJson)), encodings(WordPieceTokenizer.fromTokenizerJson(markedJson)));
    }
}
