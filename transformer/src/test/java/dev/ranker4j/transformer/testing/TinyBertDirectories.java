package dev.ranker4j.transformer.testing;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.transformer.bert.BertModel;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Random-initialised tiny models (1 layer, hidden 16) saved as Hugging Face directories, so that end-to-end tests of
 * the commands, the API, the server and the Spark jobs run in milliseconds. The vocabulary keeps bert-base-uncased's
 * special ids ([PAD] 0, [unused0..] 1.., [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103, which ColBERT's markers use)
 * followed by the letters, their "##" continuations and the digits, so every lowercase word tokenizes. Other modules
 * use it through this module's test jar.
 */
public final class TinyBertDirectories {
    private TinyBertDirectories() {}

    public static List<String> vocabulary() {
        List<String> vocab = new ArrayList<>();
        vocab.add("[PAD]");
        for (int i = 0; i < 99; i++) vocab.add("[unused" + i + "]");
        vocab.addAll(List.of("[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (char c = 'a'; c <= 'z'; c++) vocab.add(String.valueOf(c));
        for (char c = 'a'; c <= 'z'; c++) vocab.add("##" + c);
        for (char c = '0'; c <= '9'; c++) vocab.add(String.valueOf(c));
        return vocab;
    }

    public static TransformerConfig config() throws IOException {
        return TransformerConfigJson.parse(Path.of("tiny-config.json"), """
                {"model_type": "bert", "vocab_size": %d, "hidden_size": 16, "num_hidden_layers": 1,
                 "num_attention_heads": 2, "intermediate_size": 32, "max_position_embeddings": 512,
                 "type_vocab_size": 2, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
                 "attention_probs_dropout_prob": 0.1, "initializer_range": 0.5}""".formatted(vocabulary().size()));
    }

    /** A BertModel directory: a sentence encoder (dual encoder) with mean pooling and no normalisation. */
    public static Path sentenceEncoder(Path dir) throws IOException {
        BertModel.fromConfig(config(), 7).save(dir);
        return withVocabulary(dir);
    }

    /** A BertForSequenceClassification directory. */
    public static Path crossEncoder(Path dir) throws IOException {
        CrossEncoder.fromConfig(config(), 8, DType.F32).save(dir);
        return withVocabulary(dir);
    }

    /** A ColBERT directory (linear projection to 8 dimensions). */
    public static Path colbert(Path dir) throws IOException {
        Colbert.fromConfig(config(), 8, 9, DType.F32).save(dir);
        return withVocabulary(dir);
    }

    private static Path withVocabulary(Path dir) throws IOException {
        Files.write(dir.resolve("vocab.txt"), vocabulary());
        return dir;
    }
}
