package dev.ranker4j.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Small hand-made tokenizers whose every id a test can predict. */
final class TinyTokenizers {
    private TinyTokenizers() {}

    static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able",
            "a", "##a", "hello", "world", ",", "!", ".", "'", "s", "it", "##s", "<x>", "n", "##t", "don");

    static Map<String, Integer> vocab() {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < VOCAB.size(); i++) ids.put(VOCAB.get(i), i);
        return ids;
    }

    /** BERT-uncased pipeline over {@link #VOCAB} with the five special tokens plus {@code extra} added tokens. */
    static WordPieceTokenizer bert(int maxInputCharsPerWord, AddedToken... extra) {
        WordPieceModel model = new WordPieceModel(new WordPieceVocabulary(vocab(), "##"), "[UNK]",
                maxInputCharsPerWord);
        List<AddedToken> added = new java.util.ArrayList<>();
        for (String special : List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")) {
            added.add(AddedToken.special(VOCAB.indexOf(special), special));
        }
        added.addAll(List.of(extra));
        return new WordPieceTokenizer(BertNormalizer.of(true, true, null, true), model, added,
                TemplateProcessing.bert("[CLS]", 2, "[SEP]", 3), new WordPieceDecoder("##", true), "[PAD]",
                OptionalInt.empty());
    }

    static WordPieceTokenizer bert(AddedToken... extra) {
        return bert(100, extra);
    }
}
