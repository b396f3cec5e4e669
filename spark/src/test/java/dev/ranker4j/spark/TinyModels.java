package dev.ranker4j.spark;

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
import java.util.Random;

/**
 * Random-initialised tiny models (1 layer, hidden 16) saved as Hugging Face directories, and a small random BEIR
 * corpus, so the Spark jobs run in local mode in seconds (as the cli tests' TinyModels).
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

    /** A BertModel directory (a mean-pooling sentence encoder). */
    static Path sentenceEncoder(Path dir) throws IOException {
        BertModel.fromConfig(config(), 7).save(dir);
        Files.write(dir.resolve("vocab.txt"), vocabulary());
        return dir;
    }

    static Path crossEncoder(Path dir) throws IOException {
        CrossEncoder.fromConfig(config(), 8, DType.F32).save(dir);
        Files.write(dir.resolve("vocab.txt"), vocabulary());
        return dir;
    }

    /** {@code documents} BEIR documents of 1..60 random words (many share a length), ids d0, d1, ... */
    static Path corpus(Path file, int documents, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder lines = new StringBuilder();
        for (int d = 0; d < documents; d++) {
            lines.append("{\"_id\": \"d").append(d).append("\", \"title\": \"").append(words(random, 1 + random.nextInt(3)))
                    .append("\", \"text\": \"").append(words(random, 1 + random.nextInt(60))).append("\"}\n");
            if (d == documents / 2) lines.append("\n"); // a blank line, skipped as the single-machine readers skip it
        }
        return Files.writeString(file, lines);
    }

    /** {@code queries} BEIR queries q0, q1, ... of 1..8 words. */
    static Path queries(Path file, int queries, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder lines = new StringBuilder();
        for (int q = 0; q < queries; q++) {
            lines.append("{\"_id\": \"q").append(q).append("\", \"text\": \"").append(words(random, 1 + random.nextInt(8)))
                    .append("\"}\n");
        }
        return Files.writeString(file, lines);
    }

    private static String words(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < count; w++) {
            if (w > 0) text.append(' ');
            int length = 2 + random.nextInt(4);
            for (int c = 0; c < length; c++) text.append((char) ('a' + random.nextInt(8)));
        }
        return text.toString();
    }
}
