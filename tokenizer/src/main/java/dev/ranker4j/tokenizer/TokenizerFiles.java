package dev.ranker4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reads the two tokenizer formats Hugging Face model directories carry: {@code tokenizer.json} (the
 * {@code tokenizers} library's serialization) and the older {@code vocab.txt} + {@code tokenizer_config.json}.
 * Errors name the file and the JSON field.
 */
final class TokenizerFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_MAX_INPUT_CHARS_PER_WORD = 100;

    private TokenizerFiles() {}

    static WordPieceTokenizer readTokenizerJson(Path file, OptionalInt modelMaxLength) {
        JsonNode root = readJson(file);
        JsonNode modelNode = required(file, root, "model");
        String modelType = modelNode.path("type").asText("WordPiece");
        if (!modelType.equals("WordPiece")) {
            throw new IllegalArgumentException(file + ": model.type is '" + modelType + "', only WordPiece is supported");
        }
        JsonNode vocabNode = required(file, modelNode, "vocab");
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().canConvertToInt()) {
                throw new IllegalArgumentException(file + ": model.vocab[\"" + entry.getKey() + "\"] is not an id");
            }
            vocab.put(entry.getKey(), entry.getValue().asInt());
        }
        String prefix = modelNode.path("continuing_subword_prefix").asText("##");
        String unk = modelNode.path("unk_token").asText("[UNK]");
        int maxChars = modelNode.path("max_input_chars_per_word").asInt(DEFAULT_MAX_INPUT_CHARS_PER_WORD);
        WordPieceModel model = new WordPieceModel(new WordPieceVocabulary(vocab, prefix), unk, maxChars);

        BertNormalizer normalizer = readNormalizer(file, root.path("normalizer"));
        JsonNode pre = root.path("pre_tokenizer");
        if (!pre.isMissingNode() && !pre.isNull() && !pre.path("type").asText().equals("BertPreTokenizer")) {
            throw new IllegalArgumentException(file + ": pre_tokenizer.type is '" + pre.path("type").asText()
                    + "', only BertPreTokenizer is supported");
        }

        List<AddedToken> added = new ArrayList<>();
        for (JsonNode token : root.path("added_tokens")) {
            if (!token.has("id") || !token.has("content")) {
                throw new IllegalArgumentException(file + ": added_tokens entry without id or content: " + token);
            }
            added.add(new AddedToken(token.get("id").asInt(), token.get("content").asText(),
                    token.path("single_word").asBoolean(false), token.path("lstrip").asBoolean(false),
                    token.path("rstrip").asBoolean(false), token.path("normalized").asBoolean(true),
                    token.path("special").asBoolean(false)));
        }

        TemplateProcessing template = readPostProcessor(file, root.path("post_processor"), vocab);
        JsonNode decoderNode = root.path("decoder");
        WordPieceDecoder decoder = new WordPieceDecoder(decoderNode.path("prefix").asText(prefix),
                decoderNode.path("cleanup").asBoolean(true));
        return new WordPieceTokenizer(normalizer, model, added, template, decoder, "[PAD]", modelMaxLength);
    }

    static WordPieceTokenizer readVocab(Path vocabTxt, Path tokenizerConfig) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vocabulary " + vocabTxt, e);
        }
        for (int i = 0; i < lines.size(); i++) vocab.put(stripLineEnd(lines.get(i)), i); // later duplicates win, as in HF
        if (vocab.isEmpty()) throw new IllegalArgumentException(vocabTxt + ": empty vocabulary");

        JsonNode config = tokenizerConfig == null ? JSON.createObjectNode() : readJson(tokenizerConfig);
        Path source = tokenizerConfig == null ? vocabTxt : tokenizerConfig;
        boolean lowercase = config.path("do_lower_case").asBoolean(true);
        JsonNode strip = config.path("strip_accents");
        Boolean stripAccents = strip.isBoolean() ? strip.asBoolean() : null;
        boolean chinese = config.path("tokenize_chinese_chars").asBoolean(true);
        BertNormalizer normalizer = BertNormalizer.of(true, chinese, stripAccents, lowercase);

        String unk = specialTokenName(config, "unk_token", "[UNK]");
        String cls = specialTokenName(config, "cls_token", "[CLS]");
        String sep = specialTokenName(config, "sep_token", "[SEP]");
        String pad = specialTokenName(config, "pad_token", "[PAD]");
        String mask = specialTokenName(config, "mask_token", "[MASK]");
        List<AddedToken> added = new ArrayList<>();
        JsonNode declared = config.path("added_tokens_decoder");
        if (declared.isObject() && !declared.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode token = entry.getValue();
                int id;
                try {
                    id = Integer.parseInt(entry.getKey());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + ": added_tokens_decoder key '" + entry.getKey()
                            + "' is not an id", e);
                }
                added.add(new AddedToken(id, token.path("content").asText(), token.path("single_word").asBoolean(false),
                        token.path("lstrip").asBoolean(false), token.path("rstrip").asBoolean(false),
                        token.path("normalized").asBoolean(false), token.path("special").asBoolean(true)));
            }
        } else {
            for (String special : List.of(pad, unk, cls, sep, mask)) {
                Integer id = vocab.get(special);
                if (id != null) added.add(AddedToken.special(id, special));
            }
        }
        for (String required : List.of(unk, cls, sep)) {
            if (!vocab.containsKey(required)) {
                throw new IllegalArgumentException(vocabTxt + ": special token '" + required + "' is not in the vocabulary");
            }
        }
        WordPieceModel model = new WordPieceModel(new WordPieceVocabulary(vocab, "##"), unk,
                DEFAULT_MAX_INPUT_CHARS_PER_WORD);
        TemplateProcessing template = TemplateProcessing.bert(cls, vocab.get(cls), sep, vocab.get(sep));
        OptionalInt maxLength = tokenizerConfig == null ? OptionalInt.empty() : readModelMaxLength(tokenizerConfig);
        return new WordPieceTokenizer(normalizer, model, added, template, new WordPieceDecoder("##", true), pad,
                maxLength);
    }

    /** {@code model_max_length} of a tokenizer_config.json; absent or HF's "no limit" sentinel (1e30) gives empty. */
    static OptionalInt readModelMaxLength(Path tokenizerConfig) {
        JsonNode value = readJson(tokenizerConfig).path("model_max_length");
        if (!value.isNumber() || value.asDouble() > Integer.MAX_VALUE || value.asDouble() <= 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(value.asInt());
    }

    private static BertNormalizer readNormalizer(Path file, JsonNode node) {
        if (node.isMissingNode() || node.isNull()) return new BertNormalizer(false, false, false, false);
        String type = node.path("type").asText();
        if (!type.equals("BertNormalizer")) {
            throw new IllegalArgumentException(file + ": normalizer.type is '" + type
                    + "', only BertNormalizer is supported");
        }
        JsonNode strip = node.path("strip_accents");
        return BertNormalizer.of(node.path("clean_text").asBoolean(true), node.path("handle_chinese_chars").asBoolean(true),
                strip.isBoolean() ? strip.asBoolean() : null, node.path("lowercase").asBoolean(true));
    }

    private static TemplateProcessing readPostProcessor(Path file, JsonNode node, Map<String, Integer> vocab) {
        if (node.isMissingNode() || node.isNull()) {
            return new TemplateProcessing(List.of(new TemplateProcessing.Sequence(true, 0)),
                    List.of(new TemplateProcessing.Sequence(true, 0), new TemplateProcessing.Sequence(false, 1)),
                    Map.of());
        }
        String type = node.path("type").asText();
        switch (type) {
            case "BertProcessing" -> {
                JsonNode cls = node.path("cls");
                JsonNode sep = node.path("sep");
                if (cls.size() != 2 || sep.size() != 2) {
                    throw new IllegalArgumentException(file + ": post_processor.cls/sep must be [token, id] pairs");
                }
                return TemplateProcessing.bert(cls.get(0).asText(), cls.get(1).asInt(), sep.get(0).asText(),
                        sep.get(1).asInt());
            }
            case "TemplateProcessing" -> {
                Map<String, TemplateProcessing.SpecialTokenIds> specials = new HashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.path("special_tokens").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    JsonNode ids = entry.getValue().path("ids");
                    JsonNode tokens = entry.getValue().path("tokens");
                    if (ids.size() != tokens.size()) {
                        throw new IllegalArgumentException(file + ": post_processor.special_tokens[\"" + entry.getKey()
                                + "\"] has " + ids.size() + " ids but " + tokens.size() + " tokens");
                    }
                    int[] idArray = new int[ids.size()];
                    String[] tokenArray = new String[ids.size()];
                    for (int i = 0; i < idArray.length; i++) {
                        idArray[i] = ids.get(i).asInt();
                        tokenArray[i] = tokens.get(i).asText();
                    }
                    specials.put(entry.getKey(), new TemplateProcessing.SpecialTokenIds(idArray, tokenArray));
                }
                return new TemplateProcessing(readTemplate(file, node, "single"), readTemplate(file, node, "pair"),
                        specials);
            }
            default -> throw new IllegalArgumentException(file + ": post_processor.type is '" + type
                    + "', only TemplateProcessing and BertProcessing are supported");
        }
    }

    private static List<TemplateProcessing.Piece> readTemplate(Path file, JsonNode processor, String field) {
        List<TemplateProcessing.Piece> pieces = new ArrayList<>();
        for (JsonNode piece : required(file, processor, field)) {
            if (piece.has("SpecialToken")) {
                JsonNode special = piece.get("SpecialToken");
                pieces.add(new TemplateProcessing.SpecialToken(special.path("id").asText(),
                        special.path("type_id").asInt(0)));
            } else if (piece.has("Sequence")) {
                JsonNode sequence = piece.get("Sequence");
                String id = sequence.path("id").asText();
                if (!id.equals("A") && !id.equals("B")) {
                    throw new IllegalArgumentException(file + ": post_processor." + field + " has sequence '" + id
                            + "' (expected A or B)");
                }
                pieces.add(new TemplateProcessing.Sequence(id.equals("A"), sequence.path("type_id").asInt(0)));
            } else {
                throw new IllegalArgumentException(file + ": post_processor." + field + " has an unknown piece " + piece);
            }
        }
        return pieces;
    }

    /** A special token in tokenizer_config.json is a string or an AddedToken object with a "content" field. */
    private static String specialTokenName(JsonNode config, String field, String fallback) {
        JsonNode node = config.path(field);
        if (node.isTextual()) return node.asText();
        if (node.isObject() && node.path("content").isTextual()) return node.path("content").asText();
        return fallback;
    }

    private static String stripLineEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) end--;
        return line.substring(0, end);
    }

    private static JsonNode required(Path file, JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            throw new IllegalArgumentException(file + ": missing field '" + field + "'");
        }
        return node;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
