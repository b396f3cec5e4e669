package dev.ranker4j.api;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.transformer.bert.BertModel;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Random tiny models (1 layer, hidden 16) saved as Hugging Face directories, so the API's and the server's tests run
 * in milliseconds. The vocabulary keeps bert-base-uncased's special ids ([PAD] 0, [UNK] 100, [CLS] 101, [SEP] 102)
 * followed by the letters, their "##" continuations and the digits, so every lowercase word tokenizes. (The server's
 * tests use them through this module's test jar.)
 */
public final class TinyRankers {
    private TinyRankers() {}

    static List<String> vocabulary() {
        List<String> vocab = new ArrayList<>();
        vocab.add("[PAD]");
        for (int i = 0; i < 99; i++) vocab.add("[unused" + i + "]");
        vocab.addAll(List.of("[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (char c = 'a'; c <= 'z'; c++) vocab.add(String.valueOf(c));
        for (char c = 'a'; c <= 'z'; c++) vocab.add("##" + c);
        for (char c = '0'; c <= '9'; c++) vocab.add(String.valueOf(c));
        return vocab;
    }

    static TransformerConfig config() throws IOException {
        return TransformerConfigJson.parse(Path.of("tiny-config.json"), """
                {"model_type": "bert", "vocab_size": %d, "hidden_size": 16, "num_hidden_layers": 1,
                 "num_attention_heads": 2, "intermediate_size": 32, "max_position_embeddings": 512,
                 "type_vocab_size": 2, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
                 "attention_probs_dropout_prob": 0.1, "initializer_range": 0.5}""".formatted(vocabulary().size()));
    }

    /** A BertModel directory: a dual encoder with mean pooling and no normalisation. */
    public static Path dualEncoder(Path dir) throws IOException {
        BertModel.fromConfig(config(), 7).save(dir);
        return withVocabulary(dir);
    }

    /** A BertForSequenceClassification directory. */
    public static Path crossEncoder(Path dir) throws IOException {
        CrossEncoder.fromConfig(config(), 8, DType.F32).save(dir);
        return withVocabulary(dir);
    }

    /**
     * A sentence-transformers directory around {@link #dualEncoder}: CLS pooling and a Normalize module, so that what
     * the directory says shows in the vectors.
     */
    public static Path sentenceTransformers(Path dir) throws IOException {
        dualEncoder(dir);
        Files.writeString(dir.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]""");
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"word_embedding_dimension": 16, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}""");
        Files.createDirectories(dir.resolve("2_Normalize"));
        return dir;
    }

    private static Path withVocabulary(Path dir) throws IOException {
        Files.write(dir.resolve("vocab.txt"), vocabulary());
        return dir;
    }

    /** Lowercase texts of 1 to 40 words, seeded, for batching and ordering tests. */
    public static List<String> texts(int count, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int words = random.nextInt(1, 41);
            for (int w = 0; w < words; w++) {
                if (w > 0) text.append(' ');
                int letters = random.nextInt(1, 8);
                for (int l = 0; l < letters; l++) text.append((char) ('a' + random.nextInt(26)));
            }
            texts.add(text.toString());
        }
        return texts;
    }
}
