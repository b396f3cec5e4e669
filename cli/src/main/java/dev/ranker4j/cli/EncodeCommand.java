package dev.ranker4j.cli;

import dev.ranker4j.ir.retrieval.CorpusEncoder;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ranker4j encode}: texts to a vector file with a sentence encoder, resumable. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Encode a corpus or queries with a dual encoder into a vector file (docs/VECTORS.md).",
                "Documents are encoded as title + \" \" + text. Finished shards are checkpointed in OUTPUT.partial/;"
                        + " run the same command again to resume after an interruption."})
final class EncodeCommand implements Callable<Integer> {
    enum Kind { corpus, queries }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME",
            description = "A sentence-transformers or Hugging Face BERT directory (its pooling config; mean when none)."
                    + " Also ORG/NAME[@revision] from the Hugging Face Hub (cached; HF_HUB_OFFLINE=1 for cache only).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "BEIR corpus.jsonl / queries.jsonl, or MS MARCO TSV (id TAB text).")
    Path input;

    @Option(names = "--kind", defaultValue = "corpus", paramLabel = "KIND",
            description = "What --input holds: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The vector file to write.")
    Path output;

    @Option(names = "--max-length", defaultValue = "256", description = "Tokens per text (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Texts per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--shard-size", defaultValue = "1024",
            description = "Texts per checkpoint shard (default: ${DEFAULT-VALUE}).")
    int shardSize;

    @Option(names = "--normalize", description = "L2-normalise the vectors (and flag the file normalized).")
    boolean normalize;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        new OutputPaths().input("--input", input).input("--model", model).file("--output", output);
        if (maxLength < 3) throw new IllegalArgumentException("--max-length must be >= 3 (special tokens included), got " + maxLength);
        if (batchSize < 1 || shardSize < 1) throw new IllegalArgumentException("--batch-size and --shard-size must be >= 1");
        Backend device = backend.install();
        Map<String, String> texts = kind == Kind.corpus ? TextFiles.documents(input) : TextFiles.queries(input);
        if (texts.isEmpty()) throw new IllegalArgumentException(input + ": no texts");
        // Vector ids end up in white-space-separated TREC runs (search): refuse now what search could not write.
        for (String id : texts.keySet()) {
            if (id.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(input + ": id \"" + id + "\" contains white space, which a TREC run"
                        + " cannot hold (search would fail on it); fix the ids first");
            }
        }
        SentenceEncoder encoder = InferenceModels.sentenceEncoder(model, batchSize, device);
        InferenceModels.requireFits("--max-length", maxLength, encoder.model().config(), model);
        long start = System.nanoTime();
        DenseVectors vectors;
        try (Progress progress = quiet ? Progress.NONE : Progress.console("encode", texts.size(), kind == Kind.corpus
                ? "docs" : "queries")) {
            vectors = new CorpusEncoder(encoder::encode, maxLength, batchSize, shardSize, normalize)
                    .encodeToFile(new ArrayList<>(texts.keySet()), new ArrayList<>(texts.values()), output, progress);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf(java.util.Locale.ROOT,
                "{\"output\":%s,\"count\":%d,\"dim\":%d,\"normalized\":%b,\"encode_s\":%.3f}%n",
                Json.quote(output.toString()), vectors.size(), vectors.dimension(), vectors.normalized(), seconds);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
