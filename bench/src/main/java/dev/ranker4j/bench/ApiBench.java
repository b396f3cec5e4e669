package dev.ranker4j.bench;

import dev.ranker4j.api.Reranker;
import dev.ranker4j.api.RerankerKind;
import dev.ranker4j.api.RerankerOptions;
import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.cli.BackendOption;
import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tokenizer.BatchEncoding;
import dev.ranker4j.tokenizer.Padding;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertModel;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ranker4j bench api --model DIR}: what the API's {@link Reranker} adds to the model's own cost. One query with
 * {@code --passages} passages, each pair exactly {@code --tokens} tokens, scored by a cross-encoder three ways in
 * alternating rounds (so all three see the same machine load):
 * <ul>
 *   <li>{@code forward}: {@code bench forward}'s measurement at the same shape, BertModel's forward on full-length
 *       batches of {@code --batch} random ids;</li>
 *   <li>{@code model}: the cross-encoder on the very batches the API builds, tokenized and padded beforehand;</li>
 *   <li>{@code api}: {@code Reranker.score(query, passages)}: tokenization, sorting, batching, the inference thread.</li>
 * </ul>
 * A bare encoder (all-MiniLM-L6-v2) loads as a cross-encoder with a seeded random head, which costs what a trained one
 * does.
 */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = "The API's rerank throughput against the model alone and bench forward at the same shapes; one JSON line.")
public final class ApiBench implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model directory or Hub id (e.g. ../shared/models/all-MiniLM-L6-v2).")
    String model;

    @Option(names = "--passages", defaultValue = "100", description = "Passages per query (default ${DEFAULT-VALUE}).")
    int passages;

    @Option(names = "--tokens", defaultValue = "256", description = "Tokens per pair (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--batch", defaultValue = "32", description = "Pairs per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed rounds (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() throws Exception {
        Backend backend = backendOption.install();
        Path directory = ModelLocator.locate(model);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromDirectory(directory);
        String query = "what is the effect of exercise on sleep quality";
        List<String> texts = new SyntheticPassages(tokenizer, 42).pairTokens(query, tokens, passages);

        BertModel bert = BertModel.load(directory);
        BertInput fullLength = BertInput.of(fullLengthBatch(bert.config().vocabSize()));
        CrossEncoder crossEncoder = CrossEncoder.load(directory, DType.F32, 0);
        List<BertInput> apiBatches = new ArrayList<>();
        for (int start = 0; start < passages; start += batch) {
            List<String> chunk = texts.subList(start, Math.min(passages, start + batch));
            BatchEncoding encoded = tokenizer.encodePairBatch(Collections.nCopies(chunk.size(), query), chunk,
                    Truncation.longestFirst(tokens), Padding.LONGEST);
            apiBatches.add(BertInput.of(encoded));
        }
        try (Reranker reranker = Reranker.load(model, RerankerOptions.defaults().withKind(RerankerKind.CROSS_ENCODER)
                .withMaxLength(tokens).withBatchSize(batch))) {
            long forwardNs = 0, modelNs = 0, apiNs = 0;
            for (int round = 0; round < warmup + rounds; round++) {
                long a = 0, b = 0, c = 0;
                for (int k = 0; k < 3; k++) { // rotate who goes first
                    switch ((round + k) % 3) {
                        case 0 -> a = time(() -> {
                            try (NoGrad ignored = NoGrad.enter()) {
                                for (int i = 0; i < passages; i += batch) bert.forward(fullLength);
                            }
                        });
                        case 1 -> b = time(() -> {
                            try (NoGrad ignored = NoGrad.enter()) {
                                for (BertInput input : apiBatches) crossEncoder.score(input).value().contiguous().toFloatArray();
                            }
                        });
                        default -> c = time(() -> reranker.score(query, texts));
                    }
                }
                if (round >= warmup) {
                    forwardNs += a;
                    modelNs += b;
                    apiNs += c;
                }
            }
            int forwardPairs = ((passages + batch - 1) / batch) * batch * rounds;
            double forwardRate = forwardPairs / (forwardNs / 1e9);
            double modelRate = (double) passages * rounds / (modelNs / 1e9);
            double apiRate = (double) passages * rounds / (apiNs / 1e9);
            System.out.printf(Locale.ROOT, "{\"op\":\"api-rerank\",\"model\":\"%s\",\"shape\":{\"passages\":%d,\"tokens_per_pair\":%d,"
                            + "\"batch\":%d},\"forward_pairs_per_s\":%.2f,\"model_pairs_per_s\":%.2f,\"api_pairs_per_s\":%.2f,"
                            + "\"api_vs_forward\":%.3f,\"api_vs_model\":%.3f,\"rounds\":%d,\"backend\":\"%s\",\"threads\":%d,"
                            + "\"vector_shape\":\"%s\"}%n",
                    directory.getFileName(), passages, tokens, batch, forwardRate, modelRate, apiRate, apiRate / forwardRate,
                    apiRate / modelRate, rounds, backend.name(), backend.threads(), FloatVector.SPECIES_PREFERRED.vectorShape());
        }
        return 0;
    }

    private static long time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    /** {@code bench forward}'s inputs: full-length rows of seeded random ids, [CLS] … [SEP], no padding. */
    private BatchEncoding fullLengthBatch(int vocab) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        int[] ids = new int[batch * tokens], mask = new int[batch * tokens], types = new int[batch * tokens];
        java.util.Arrays.fill(mask, 1);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) ids[b * tokens + t] = t == 0 ? 101 : t == tokens - 1 ? 102 : random.nextInt(Math.min(1000, vocab / 2), vocab);
        }
        return new BatchEncoding(batch, tokens, ids, mask, types);
    }
}
