package dev.ranker4j.bench;

import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ranker4j bench tokenize --model DIR --corpus corpus.jsonl}: WordPiece throughput on a BEIR corpus, each
 * document encoded as {@code title + " " + text} truncated to {@code --max-length} tokens (as SciFact is embedded).
 * One untimed pass warms the JIT; the timed passes' total is reported as one JSON line.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Tokenizer throughput on a BEIR corpus.jsonl; prints one JSON line.")
public final class TokenizeBench implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model directory with tokenizer.json or vocab.txt.")
    Path model;

    @Option(names = "--corpus", required = true, description = "BEIR corpus.jsonl (_id, title, text) or MS MARCO TSV (id TAB text).")
    Path corpus;

    @Option(names = "--max-length", defaultValue = "256", description = "Truncation length (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--threads", defaultValue = "1", description = "Encoding threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--passes", defaultValue = "3", description = "Timed passes over the corpus (default ${DEFAULT-VALUE}).")
    int passes;

    @Override
    public Integer call() throws Exception {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromDirectory(ModelLocator.locate(model.toString()));
        List<String> texts = new ArrayList<>(TextFiles.documents(corpus).values());
        Truncation truncation = Truncation.longestFirst(maxLength);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            encodeAll(tokenizer, texts, truncation, pool); // warm-up
            long tokens = 0;
            long start = System.nanoTime();
            for (int pass = 0; pass < passes; pass++) tokens += encodeAll(tokenizer, texts, truncation, pool);
            double seconds = (System.nanoTime() - start) / 1e9;
            long encoded = (long) texts.size() * passes;
            System.out.printf(Locale.ROOT,
                    "{\"op\":\"tokenize\",\"texts\":%d,\"texts_per_s\":%.1f,\"tokens_per_s\":%.1f,\"threads\":%d,"
                            + "\"max_length\":%d,\"passes\":%d}%n",
                    texts.size(), encoded / seconds, tokens / seconds, threads, maxLength, passes);
        } finally {
            pool.shutdown();
        }
        return 0;
    }

    /** Encodes every text once, split into one contiguous chunk per thread; returns the number of tokens. */
    private long encodeAll(WordPieceTokenizer tokenizer, List<String> texts, Truncation truncation,
                           ExecutorService pool) throws Exception {
        List<Future<Long>> parts = new ArrayList<>();
        int chunk = (texts.size() + threads - 1) / threads;
        for (int from = 0; from < texts.size(); from += chunk) {
            List<String> slice = texts.subList(from, Math.min(texts.size(), from + chunk));
            parts.add(pool.submit(() -> {
                long count = 0;
                for (String text : slice) count += tokenizer.encode(text, truncation).length();
                return count;
            }));
        }
        long total = 0;
        for (Future<Long> part : parts) total += part.get();
        return total;
    }
}
