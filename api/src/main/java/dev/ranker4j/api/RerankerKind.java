package dev.ranker4j.api;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.keys.SentenceTransformersDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a re-ranking model is: a cross-encoder reads query and passage together; a dual encoder embeds them apart. */
public enum RerankerKind {
    /** {@code [CLS] query [SEP] passage [SEP]} → one relevance score (Hugging Face {@code *ForSequenceClassification}). */
    CROSS_ENCODER,
    /** Query and passage embedded separately; the score is their cosine similarity. */
    DUAL_ENCODER;

    /** The name the command line and the server use: {@code cross_encoder} or {@code dual_encoder}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code id} ({@code cross_encoder} or {@code dual_encoder}, any case). */
    public static RerankerKind parse(String id) {
        for (RerankerKind kind : values()) if (kind.id().equalsIgnoreCase(id)) return kind;
        throw new IllegalArgumentException("unknown model kind '" + id + "'; expected cross_encoder or dual_encoder");
    }

    /**
     * The kind a model directory holds: a sentence-transformers directory ({@code modules.json}) is a dual encoder;
     * otherwise {@code config.json}'s {@code architectures} decide: a {@code *ForSequenceClassification} is a
     * cross-encoder, anything else (a bare {@code BertModel}) a dual encoder.
     */
    public static RerankerKind detect(Path directory) throws IOException {
        if (Files.isRegularFile(directory.resolve(SentenceTransformersDirectory.MODULES_FILE))) return DUAL_ENCODER;
        TransformerConfig config = TransformerConfigJson.read(directory.resolve(TransformerConfigJson.FILE_NAME));
        for (String architecture : config.architectures()) {
            if (architecture.endsWith("ForSequenceClassification")) return CROSS_ENCODER;
        }
        return DUAL_ENCODER;
    }
}
