package dev.ranker4j.bench;

import dev.ranker4j.cli.BackendOption;
import dev.ranker4j.cli.InferenceModels;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ranker4j bench encode-corpus --model DIR --corpus corpus.jsonl}: sentence embeddings of a BEIR corpus
 * ({@code title + " " + text}, truncated to {@code --max-length}) with {@link SentenceEncoder}'s length-bucketed
 * batches. Reports the model load time, resident memory after loading and after encoding ({@code VmRSS} and
 * {@code VmHWM} from /proc/self/status), documents and real tokens per second, and how much of a fixed-length padded
 * batch would have been padding.
 */
@Command(name = "encode-corpus", mixinStandardHelpOptions = true,
        description = "Sentence-encoder throughput on a BEIR corpus with length-bucketed batches; prints one JSON line.")
public final class EncodeCorpusBench implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model directory (Hugging Face or sentence-transformers).")
    Path model;

    @Option(names = "--corpus", required = true, description = "BEIR corpus.jsonl (_id, title, text) or MS MARCO TSV (id TAB text).")
    Path corpus;

    @Option(names = "--max-length", defaultValue = "256", description = "Truncation length (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch", defaultValue = "32", description = "Texts per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--limit", defaultValue = "0", description = "Encode only the first N documents (0: all).")
    int limit;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() throws Exception {
        Backend backend = backendOption.install();
        long rssBefore = procStatusKb("VmRSS");
        long start = System.nanoTime();
        SentenceEncoder encoder = InferenceModels.sentenceEncoder(model, batch, backend);
        double loadS = (System.nanoTime() - start) / 1e9;
        long rssLoaded = procStatusKb("VmRSS");

        List<String> texts = new ArrayList<>(TextFiles.documents(corpus).values());
        if (limit > 0 && limit < texts.size()) texts = texts.subList(0, limit);
        encoder.encode(texts.subList(0, Math.min(texts.size(), 2 * batch)), maxLength); // warm-up on the longest few
        long tokens = 0, longest = 0;
        for (String text : texts) {
            int length = encoder.tokenizer().encode(text, Truncation.longestFirst(maxLength)).length();
            tokens += length;
            longest = Math.max(longest, length);
        }
        start = System.nanoTime();
        float[][] vectors = encoder.encode(texts, maxLength);
        double encodeS = (System.nanoTime() - start) / 1e9;
        if (vectors.length != texts.size()) throw new IllegalStateException("encoded " + vectors.length + " of " + texts.size());
        System.out.printf(Locale.ROOT, "{\"op\":\"encode-corpus\",\"model\":\"%s\",\"docs\":%d,\"max_length\":%d,\"batch\":%d,"
                        + "\"docs_per_s\":%.2f,\"real_tokens_per_s\":%.0f,\"padding_if_fixed_length\":%.3f,\"encode_s\":%.1f,"
                        + "\"load_s\":%.2f,\"rss_before_load_mb\":%.0f,\"rss_after_load_mb\":%.0f,\"rss_after_encode_mb\":%.0f,"
                        + "\"rss_peak_mb\":%.0f,\"backend\":\"%s\"}%n",
                model.getFileName(), texts.size(), maxLength, batch, texts.size() / encodeS, tokens / encodeS,
                1 - (double) tokens / (texts.size() * longest), encodeS, loadS, rssBefore / 1024.0, rssLoaded / 1024.0,
                procStatusKb("VmRSS") / 1024.0, procStatusKb("VmHWM") / 1024.0, backend.name());
        return 0;
    }

    /** A field of /proc/self/status in kB (Linux), or -1 where there is none. */
    static long procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
