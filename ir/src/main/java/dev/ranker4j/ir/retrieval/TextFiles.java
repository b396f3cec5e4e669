package dev.ranker4j.ir.retrieval;

import dev.ranker4j.ir.data.BeirFormat;
import dev.ranker4j.ir.data.Document;
import dev.ranker4j.ir.data.MsMarcoFormat;
import dev.ranker4j.ir.data.Query;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads the texts retrieval needs, id to text, from BEIR JSON lines ({@code .jsonl}, {@code .jsonl.gz}) or MS MARCO
 * TSV (anything else). Documents become {@code title + " " + text} ({@link Document#titleAndText()}).
 */
public final class TextFiles {
    private TextFiles() {}

    /** Document id to text, in file order. */
    public static Map<String, String> documents(Path file) {
        Map<String, String> texts = new LinkedHashMap<>();
        try (Stream<Document> documents = isJsonLines(file) ? BeirFormat.readCorpus(file)
                : MsMarcoFormat.readCollection(file)) {
            documents.forEach(d -> put(texts, d.id(), d.titleAndText(), file));
        }
        return texts;
    }

    /** Query id to text, in file order. */
    public static Map<String, String> queries(Path file) {
        Map<String, String> texts = new LinkedHashMap<>();
        try (Stream<Query> queries = isJsonLines(file) ? BeirFormat.readQueries(file) : MsMarcoFormat.readQueries(file)) {
            queries.forEach(q -> put(texts, q.id(), q.text(), file));
        }
        return texts;
    }

    private static void put(Map<String, String> texts, String id, String text, Path file) {
        if (texts.putIfAbsent(id, text) != null) {
            throw new IllegalArgumentException(file + ": id " + id + " appears twice");
        }
    }

    private static boolean isJsonLines(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(".json");
    }
}
