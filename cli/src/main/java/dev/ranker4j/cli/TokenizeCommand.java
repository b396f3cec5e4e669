package dev.ranker4j.cli;

import dev.ranker4j.hfio.hub.ModelLocator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.tokenizer.Encoding;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.TruncationException;
import dev.ranker4j.tokenizer.TruncationStrategy;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ranker4j tokenize --model DIR}: JSON lines in, the same lines out with {@code ids}, {@code type_ids} and
 * {@code tokens} added, so the output can be diffed against Hugging Face. Input fields: {@code text}, optional
 * {@code text_pair}, {@code max_length}, {@code truncation} ({@code longest_first} by default). A refused
 * truncation yields an {@code error} field with HF's message instead of tokens.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Tokenize JSON lines from stdin ({\"text\":..,\"text_pair\"?:..,\"max_length\"?:..,"
                + "\"truncation\"?:..}) and print them with ids, type_ids and tokens added.")
public final class TokenizeCommand implements Callable<Integer> {
    private static final List<String> OUTPUT_FIELDS = List.of("ids", "type_ids", "tokens", "error");

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME",
            description = "Model directory with tokenizer.json or vocab.txt. Also ORG/NAME[@revision] from the Hugging Face Hub (cached; HF_HUB_OFFLINE=1 for cache only).")
    Path model;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromDirectory(ModelLocator.locate(model.toString()));
        ObjectMapper json = new ObjectMapper();
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int lineNumber = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) line = line.substring(1); // a byte order mark is not JSON
            if (line.isBlank()) continue;
            ObjectNode record = parse(json, line, lineNumber);
            out.println(json.writeValueAsString(tokenize(tokenizer, record, lineNumber)));
        }
        out.flush();
        return 0;
    }

    private static ObjectNode parse(ObjectMapper json, String line, int lineNumber) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stdin line " + lineNumber + ": invalid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("stdin line " + lineNumber + ": expected a JSON object");
        }
        return object;
    }

    private static ObjectNode tokenize(WordPieceTokenizer tokenizer, ObjectNode record, int lineNumber) {
        String text = textField(record, "text", lineNumber, true);
        String pair = textField(record, "text_pair", lineNumber, false);
        Truncation truncation = Truncation.NONE;
        JsonNode maxLength = record.get("max_length");
        if (maxLength != null && !maxLength.isNull()) {
            if (!maxLength.canConvertToInt() || maxLength.asInt() < 0) {
                throw new IllegalArgumentException("stdin line " + lineNumber + ": max_length must be a non-negative"
                        + " integer, got " + maxLength);
            }
            String strategy = textField(record, "truncation", lineNumber, false);
            try {
                truncation = new Truncation(maxLength.asInt(),
                        TruncationStrategy.fromHfName(strategy == null ? "longest_first" : strategy));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stdin line " + lineNumber + ": " + e.getMessage(), e);
            }
        }
        OUTPUT_FIELDS.forEach(record::remove);
        try {
            Encoding encoding = pair == null ? tokenizer.encode(text, truncation)
                    : tokenizer.encodePair(text, pair, truncation);
            ArrayNode ids = record.putArray("ids");
            for (int id : encoding.ids()) ids.add(id);
            ArrayNode types = record.putArray("type_ids");
            for (int type : encoding.typeIds()) types.add(type);
            ArrayNode tokens = record.putArray("tokens");
            for (String token : encoding.tokens()) tokens.add(token);
        } catch (TruncationException refused) {
            record.put("error", refused.getMessage());
        }
        return record;
    }

    private static String textField(ObjectNode record, String field, int lineNumber, boolean required) {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) {
            if (required) throw new IllegalArgumentException("stdin line " + lineNumber + ": missing field '" + field + "'");
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("stdin line " + lineNumber + ": field '" + field + "' must be a string");
        }
        return value.asText();
    }
}
