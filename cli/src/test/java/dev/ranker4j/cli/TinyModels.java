package dev.ranker4j.cli;

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
 * Random-initialised tiny models (1 layer, hidden 16) saved as Hugging Face directories, for fast end-to-end CLI
 * tests. The vocabulary keeps bert-base-uncased's special ids ([PAD] 0, [unused0..] 1.., [UNK] 100, [CLS] 101,
 * [SEP] 102, [MASK] 103, which ColBERT's markers use) followed by the letters and their "##" continuations, so every
 * lowercase word tokenizes.
 */
final class TinyModels {
    private TinyModels() {}

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

    /** A BertModel directory (used as a mean-pooling sentence encoder). */
    static Path sentenceEncoder(Path dir) throws IOException {
        BertModel.fromConfig(config(), 7).save(dir);
        return withVocabulary(dir);
    }

    static Path crossEncoder(Path dir) throws IOException {
        CrossEncoder.fromConfig(config(), 8, DType.F32).save(dir);
        return withVocabulary(dir);
    }

    static Path colbert(Path dir) throws IOException {
        Colbert.fromConfig(config(), 8, 9, DType.F32).save(dir);
        return withVocabulary(dir);
    }

    private static Path withVocabulary(Path dir) throws IOException {
        Files.write(dir.resolve("vocab.txt"), vocabulary());
        return dir;
    }

    /**
     * A TREC run over the built-in sample: each of its 10 queries retrieves passages p1..p36 in that order, scored
     * (37 − rank) / 36 (the samplers' target retriever, teacher and re-ranker in the tests).
     */
    static Path sampleRun(Path file) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int q = 1; q <= 10; q++) {
            for (int p = 1; p <= 36; p++) lines.append("q").append(q).append(" Q0 p").append(p).append(" ").append(p)
                    .append(" ").append((37 - p) / 36.0).append(" dense\n");
        }
        return Files.writeString(file, lines);
    }

    /** The quickstart's built-in BEIR sample, copied to {@code dir}. */
    static Path sample(Path dir) throws IOException {
        return QuickstartCommand.unpackSample(dir);
    }
}
