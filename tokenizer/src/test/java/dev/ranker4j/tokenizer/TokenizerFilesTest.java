package dev.ranker4j.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerFilesTest {
    @TempDir
    Path dir;

    @Test
    void vocabTxtWithCasedConfigKeepsCaseAndAccents() throws IOException {
        Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nCafé\ncafe\n");
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"do_lower_case\": false, \"model_max_length\": 128, \"unk_token\": {\"content\": \"[UNK]\"}}");
        WordPieceTokenizer cased = WordPieceTokenizer.fromDirectory(dir);
        assertArrayEquals(new int[] {2, 5, 1, 3}, cased.encode("Café cafX").ids());
        assertEquals(128, cased.modelMaxLength().orElseThrow());
        assertEquals(0, cased.padId());
    }

    @Test
    void errorsNameTheFileAndTheField() throws IOException {
        Path broken = dir.resolve("tokenizer.json");
        Files.writeString(broken, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}");
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> WordPieceTokenizer.fromTokenizerJson(broken));
        assertTrue(invalid.getMessage().startsWith(broken + ": invalid JSON"), invalid.getMessage());

        Files.writeString(broken, "{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}");
        IllegalArgumentException bpe = assertThrows(IllegalArgumentException.class,
                () -> WordPieceTokenizer.fromTokenizerJson(broken));
        assertEquals(broken + ": model.type is 'BPE', only WordPiece is supported", bpe.getMessage());

        Files.writeString(broken, "{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": {\"a\": 0}}}");
        IllegalArgumentException unk = assertThrows(IllegalArgumentException.class,
                () -> WordPieceTokenizer.fromTokenizerJson(broken));
        assertEquals(broken + ": model.unk_token '[UNK]' is not in model.vocab", unk.getMessage());

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> WordPieceTokenizer.fromDirectory(dir.resolve("nothing-here")));
        assertTrue(empty.getMessage().contains("expected tokenizer.json or vocab.txt"), empty.getMessage());
    }
}
