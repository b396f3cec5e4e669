package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.testkit.SharedData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String stdin, String... args) {
        InputStream originalIn = System.in;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            var cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setIn(originalIn);
        }
    }

    @Test
    void addsIdsTypeIdsAndTokensAndKeepsTheInputFields() throws Exception {
        Path model = SharedData.require("models/all-MiniLM-L6-v2");
        String input = """
                {"text":"What is Deep Learning?","id":"q1"}
                {"text":"a b c d e f","text_pair":"Deep","max_length":6,"truncation":"only_second"}
                """;
        Run run = run(input, "tokenize", "--model", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("q1", first.get("id").asText());
        assertEquals("[101,2054,2003,2784,4083,1029,102]", first.get("ids").toString());
        assertEquals("[0,0,0,0,0,0,0]", first.get("type_ids").toString());
        assertEquals("[\"[CLS]\",\"what\",\"is\",\"deep\",\"learning\",\"?\",\"[SEP]\"]", first.get("tokens").toString());
        JsonNode refused = JSON.readTree(lines.get(1));
        assertEquals("Truncation error: Sequence to truncate too short to respect the provided max_length",
                refused.get("error").asText());
        assertEquals(6, refused.get("max_length").asInt());
        assertTrue(!refused.has("ids"));
    }

    @Test
    void reproducesTheReferenceFileLineForLine() throws Exception {
        Path model = SharedData.require("models/all-MiniLM-L6-v2");
        Path reference = SharedData.require("reference/tokenizer/bert-base-uncased-wordpiece.jsonl");
        List<String> expected = Files.readAllLines(reference, StandardCharsets.UTF_8);
        Run run = run(String.join("\n", expected), "tokenize", "--model", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> actual = run.out().lines().toList();
        assertEquals(expected.size(), actual.size());
        int identical = 0;
        for (int i = 0; i < expected.size(); i++) {
            if (JSON.readTree(expected.get(i)).equals(JSON.readTree(actual.get(i)))) identical++;
        }
        System.out.printf("ranker4j tokenize: %d / %d reference lines identical as JSON%n", identical, expected.size());
        assertEquals(expected.size(), identical);
    }

    @Test
    void aBadJsonLineFailsWithItsLineNumber() {
        Path model = SharedData.require("models/all-MiniLM-L6-v2");
        Run run = run("{\"text\":\"fine\"}\n{\"text\": oops}\n", "tokenize", "--model", model.toString());
        assertNotEquals(0, run.exitCode());
        assertEquals(1, run.out().lines().count(), "the valid first line is still written");
        assertTrue(run.err().startsWith("ranker4j tokenize: stdin line 2: invalid JSON"), run.err());

        Run missing = run("{\"txt\":\"x\"}\n", "tokenize", "--model", model.toString());
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.err().contains("stdin line 1: missing field 'text'"), missing.err());
    }
}
