package dev.ranker4j.hfio.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The tokenizer files of a Hugging Face BERT directory, derived from one WordPiece {@code tokenizer.json}:
 * <ul>
 *   <li>{@code tokenizer.json} itself, with {@code truncation} and {@code padding} reset to null: those are the
 *       settings of whoever exported it (langchain4j pads every input to 128 tokens), not properties of the model,
 *       and the tokenizers library would apply them to every encoding;</li>
 *   <li>{@code vocab.txt}: the vocabulary, one token per line in id order (the slow BertTokenizer's format);</li>
 *   <li>{@code tokenizer_config.json} and {@code special_tokens_map.json}: lower-casing and accent stripping from the
 *       BertNormalizer, the special tokens from the model, the post-processor and the vocabulary.</li>
 * </ul>
 */
public final class HfTokenizerFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode tokenizer;
    private final String[] vocabulary;
    private final ObjectNode specialTokens;
    private final JsonNode bertNormalizer;

    private HfTokenizerFiles(ObjectNode tokenizer, String[] vocabulary, ObjectNode specialTokens, JsonNode bertNormalizer) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.specialTokens = specialTokens;
        this.bertNormalizer = bertNormalizer;
    }

    /** Reads a {@code tokenizer.json}; fails, naming the field, when it is not a WordPiece tokenizer. */
    public static HfTokenizerFiles read(Path tokenizerJson) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(tokenizerJson.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(tokenizerJson + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(root instanceof ObjectNode tokenizer)) throw new IOException(tokenizerJson + ": not a JSON object");
        JsonNode model = tokenizer.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new IOException(tokenizerJson + ": model.type is '" + model.path("type").asText()
                    + "'; only WordPiece (BERT) tokenizers can be imported");
        }
        String[] vocabulary = vocabulary(tokenizerJson, model.path("vocab"));
        tokenizer.putNull("truncation");
        tokenizer.putNull("padding");
        ObjectNode special = JsonNodeFactory.instance.objectNode();
        String unk = model.path("unk_token").asText("[UNK]");
        JsonNode template = tokenizer.path("post_processor").path("single");
        String cls = "[CLS]", sep = "[SEP]";
        if (template.isArray() && !template.isEmpty()) {
            cls = template.get(0).path("SpecialToken").path("id").asText(cls);
            sep = template.get(template.size() - 1).path("SpecialToken").path("id").asText(sep);
        }
        special.put("unk_token", unk);
        special.put("sep_token", sep);
        special.put("pad_token", "[PAD]");
        special.put("cls_token", cls);
        special.put("mask_token", "[MASK]");
        for (Iterator<Map.Entry<String, JsonNode>> it = special.fields(); it.hasNext(); ) {
            String token = it.next().getValue().asText();
            if (!model.path("vocab").has(token)) {
                throw new IOException(tokenizerJson + ": special token '" + token + "' is not in model.vocab");
            }
        }
        return new HfTokenizerFiles(tokenizer, vocabulary, special, findBertNormalizer(tokenizer.path("normalizer")));
    }

    private static String[] vocabulary(Path file, JsonNode vocab) throws IOException {
        if (!vocab.isObject() || vocab.isEmpty()) throw new IOException(file + ": model.vocab is missing or empty");
        String[] tokens = new String[vocab.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            int id = entry.getValue().asInt(-1);
            if (id < 0 || id >= tokens.length || tokens[id] != null) {
                throw new IOException(file + ": model.vocab gives '" + entry.getKey() + "' the id " + entry.getValue()
                        + "; ids must be 0.." + (tokens.length - 1) + ", each used once");
            }
            tokens[id] = entry.getKey();
        }
        return tokens;
    }

    private static JsonNode findBertNormalizer(JsonNode normalizer) {
        if ("BertNormalizer".equals(normalizer.path("type").asText())) return normalizer;
        for (JsonNode inner : normalizer.path("normalizers")) {
            if ("BertNormalizer".equals(inner.path("type").asText())) return inner;
        }
        return null;
    }

    /** Token id of the padding token (what config.json's {@code pad_token_id} says). */
    public int padTokenId() {
        return tokenizer.path("model").path("vocab").path(specialTokens.path("pad_token").asText()).asInt();
    }

    public int vocabularySize() {
        return vocabulary.length;
    }

    /** The tokenizer.json to write (truncation and padding reset to null). */
    public ObjectNode tokenizerJson() {
        return tokenizer;
    }

    /** vocab.txt: each token followed by a newline, in id order. */
    public String vocabTxt() {
        StringBuilder text = new StringBuilder();
        for (String token : vocabulary) text.append(token).append('\n');
        return text.toString();
    }

    public ObjectNode specialTokensMap() {
        return specialTokens.deepCopy();
    }

    /** tokenizer_config.json for BertTokenizer(Fast); {@code modelMaxLength} is usually max_position_embeddings. */
    public ObjectNode tokenizerConfig(long modelMaxLength) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        // Without a BertNormalizer nothing lower-cases, which BertTokenizer spells do_lower_case=false.
        config.put("do_lower_case", bertNormalizer != null && bertNormalizer.path("lowercase").asBoolean(true));
        config.put("model_max_length", modelMaxLength);
        config.put("tokenizer_class", "BertTokenizer");
        config.put("cls_token", specialTokens.path("cls_token").asText());
        config.put("sep_token", specialTokens.path("sep_token").asText());
        config.put("pad_token", specialTokens.path("pad_token").asText());
        config.put("unk_token", specialTokens.path("unk_token").asText());
        config.put("mask_token", specialTokens.path("mask_token").asText());
        if (bertNormalizer != null) {
            config.put("tokenize_chinese_chars", bertNormalizer.path("handle_chinese_chars").asBoolean(true));
            JsonNode stripAccents = bertNormalizer.path("strip_accents");
            if (stripAccents.isBoolean()) config.put("strip_accents", stripAccents.asBoolean());
            else config.putNull("strip_accents");
        }
        return config;
    }
}
