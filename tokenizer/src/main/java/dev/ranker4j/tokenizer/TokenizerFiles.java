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
            throw new TokenizerFormatException(file, "model.type is '" + modelType + "', only WordPiece is supported");
        }
        JsonNode vocabNode = required(file, modelNode, "vocab");
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        if (!vocabNode.isObject() || vocabNode.isEmpty()) throw new TokenizerFormatException(file, "model.vocab must be a non-empty object of token: id");
        Map<Integer, String> byId = new HashMap<>(vocabNode.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode id = entry.getValue();
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                throw new TokenizerFormatException(file, "model.vocab[\"" + entry.getKey() + "\"] is " + id + ", not a token id (an integer >= 0)");
            }
            String other = byId.put(id.intValue(), entry.getKey());
            if (other != null) {
                throw new TokenizerFormatException(file, "model.vocab gives id " + id + " to both \"" + other + "\" and \""
                        + entry.getKey() + "\"");
            }
            vocab.put(entry.getKey(), id.intValue());
        }
        requireCompactIds(file, vocab);
        String prefix = text(file, modelNode, "model.continuing_subword_prefix", "##");
        String unk = text(file, modelNode, "model.unk_token", "[UNK]");
        if (!vocab.containsKey(unk)) throw new TokenizerFormatException(file, "model.unk_token '" + unk + "' is not in model.vocab");
        JsonNode maxCharsNode = modelNode.path("max_input_chars_per_word");
        if (!maxCharsNode.isMissingNode() && !maxCharsNode.isNull()
                && (!maxCharsNode.isIntegralNumber() || !maxCharsNode.canConvertToInt() || maxCharsNode.intValue() < 1)) {
            throw new TokenizerFormatException(file, "model.max_input_chars_per_word is " + maxCharsNode + ", not a positive integer");
        }
        int maxChars = maxCharsNode.asInt(DEFAULT_MAX_INPUT_CHARS_PER_WORD);
        WordPieceModel model = new WordPieceModel(new WordPieceVocabulary(vocab, prefix), unk, maxChars);

        BertNormalizer normalizer = readNormalizer(file, root.path("normalizer"));
        JsonNode pre = root.path("pre_tokenizer");
        if (!pre.isMissingNode() && !pre.isNull() && !pre.path("type").asText().equals("BertPreTokenizer")) {
            throw new TokenizerFormatException(file, "pre_tokenizer.type is '" + pre.path("type").asText()
                    + "', only BertPreTokenizer is supported");
        }

        List<AddedToken> added = new ArrayList<>();
        for (JsonNode token : root.path("added_tokens")) {
            if (!token.path("id").isIntegralNumber() || !token.path("id").canConvertToInt() || token.path("id").intValue() < 0
                    || !token.path("content").isTextual() || token.path("content").textValue().isEmpty()) {
                throw new TokenizerFormatException(file, "added_tokens entry needs an integer id >= 0 and a non-empty content: " + token);
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
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new TokenizerFormatException(vocabTxt, "not valid UTF-8 text", e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TokenizerFormatException(vocabTxt, "no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vocabulary " + vocabTxt + ": " + e.getMessage(), e);
        }
        // A byte order mark is no part of the first token.
        if (!lines.isEmpty() && lines.getFirst().startsWith("\uFEFF")) lines.set(0, lines.getFirst().substring(1));
        for (int i = 0; i < lines.size(); i++) vocab.put(stripLineEnd(lines.get(i)), i); // later duplicates win, as in HF
        if (vocab.isEmpty()) throw new TokenizerFormatException(vocabTxt, "empty vocabulary");

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
                    throw new TokenizerFormatException(source, "added_tokens_decoder key '" + entry.getKey()
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
                throw new TokenizerFormatException(vocabTxt, "special token '" + required + "' is not in the vocabulary");
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
            throw new TokenizerFormatException(file, "normalizer.type is '" + type
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
                if (cls.size() != 2 || sep.size() != 2 || !cls.get(0).isTextual() || !sep.get(0).isTextual()
                        || !isId(cls.get(1)) || !isId(sep.get(1))) {
                    throw new TokenizerFormatException(file, "post_processor.cls/sep must be [token, id] pairs");
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
                        throw new TokenizerFormatException(file, "post_processor.special_tokens[\"" + entry.getKey()
                                + "\"] has " + ids.size() + " ids but " + tokens.size() + " tokens");
                    }
                    int[] idArray = new int[ids.size()];
                    String[] tokenArray = new String[ids.size()];
                    for (int i = 0; i < idArray.length; i++) {
                        if (!isId(ids.get(i)) || !tokens.get(i).isTextual()) {
                            throw new TokenizerFormatException(file, "post_processor.special_tokens[\"" + entry.getKey()
                                    + "\"] holds " + ids.get(i) + " / " + tokens.get(i) + ", not a token id and its string");
                        }
                        idArray[i] = ids.get(i).asInt();
                        tokenArray[i] = tokens.get(i).asText();
                    }
                    specials.put(entry.getKey(), new TemplateProcessing.SpecialTokenIds(idArray, tokenArray));
                }
                List<TemplateProcessing.Piece> single = readTemplate(file, node, "single"), pair = readTemplate(file, node, "pair");
                for (TemplateProcessing.Piece piece : concat(single, pair)) {
                    if (piece instanceof TemplateProcessing.SpecialToken special && !specials.containsKey(special.name())) {
                        throw new TokenizerFormatException(file, "post_processor uses the special token '" + special.name()
                                + "', which post_processor.special_tokens does not define");
                    }
                }
                return new TemplateProcessing(single, pair, specials);
            }
            default -> throw new TokenizerFormatException(file, "post_processor.type is '" + type
                    + "', only TemplateProcessing and BertProcessing are supported");
        }
    }

    private static boolean isId(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= 0;
    }

    private static List<TemplateProcessing.Piece> concat(List<TemplateProcessing.Piece> a, List<TemplateProcessing.Piece> b) {
        List<TemplateProcessing.Piece> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
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
                    throw new TokenizerFormatException(file, "post_processor." + field + " has sequence '" + id
                            + "' (expected A or B)");
                }
                pieces.add(new TemplateProcessing.Sequence(id.equals("A"), sequence.path("type_id").asInt(0)));
            } else {
                throw new TokenizerFormatException(file, "post_processor." + field + " has an unknown piece " + piece);
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
            throw new TokenizerFormatException(file, "missing field '" + field + "'");
        }
        return node;
    }

    private static JsonNode readJson(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TokenizerFormatException(file, "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new TokenizerFormatException(file, "no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new TokenizerFormatException(file, "must be a JSON object");
        return root;
    }

    /** An optional string field ({@code path} names it in errors), {@code fallback} when absent or null. */
    private static String text(Path file, JsonNode parent, String path, String fallback) {
        JsonNode node = parent.path(path.substring(path.lastIndexOf('.') + 1));
        if (node.isMissingNode() || node.isNull()) return fallback;
        if (!node.isTextual()) throw new TokenizerFormatException(file, path + " is " + node + ", not a string");
        return node.textValue();
    }

    /**
     * Token ids index an array of the vocabulary's size: an id far beyond the number of tokens is a corrupt file
     * (and would otherwise allocate an array of that size).
     */
    private static void requireCompactIds(Path file, Map<String, Integer> vocab) {
        int max = 0;
        String token = null;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (e.getValue() >= max) {
                max = e.getValue();
                token = e.getKey();
            }
        }
        if (max >= 4L * vocab.size() + 1024) {
            throw new TokenizerFormatException(file, "model.vocab[\"" + token + "\"] is " + max + ", far beyond the "
                    + vocab.size() + " tokens of the vocabulary");
        }
    }
}
