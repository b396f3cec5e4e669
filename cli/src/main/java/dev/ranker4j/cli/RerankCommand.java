package dev.ranker4j.cli;

import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.TrecFormat;
import dev.ranker4j.ir.retrieval.DualEncoderScorer;
import dev.ranker4j.ir.retrieval.PairScorer;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.RunReranker;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.training.retrieval.ColbertScorer;
import dev.ranker4j.training.retrieval.CrossEncoderScorer;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.ColbertInputs;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ranker4j rerank}: re-score a run's top k with a cross-encoder, ColBERT or a dual encoder. */
@Command(name = "rerank", mixinStandardHelpOptions = true,
        description = {"Re-rank each query's top --depth documents of a run with a model; writes a new TREC run holding"
                + " those documents ranked by the model's scores.",
                "The first stage is a TREC run (--run) or a Lucene index searched for the top --depth (--index)."})
final class RerankCommand implements Callable<Integer> {
    enum Kind { cross_encoder, colbert, dual_encoder }

    @Spec
    CommandSpec spec;

    @Option(names = "--qrels", paramLabel = "FILE",
            description = "Re-rank only the queries judged in these qrels (TREC or BEIR TSV), e.g. a test split.")
    Path qrels;

    @Option(names = "--include-judged", description = "With --qrels: also score each query's judged relevant documents that"
            + " are not among its top --depth (a teacher's scores for distillation data need the positives).")
    boolean includeJudged;

    @Option(names = "--run", paramLabel = "FILE", description = "The first-stage TREC run (or --index).")
    Path run;

    @Mixin
    FirstStageOptions firstStage;

    @Option(names = "--queries", required = true, paramLabel = "FILE", description = "queries.jsonl or id TAB text.")
    Path queries;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "corpus.jsonl or id TAB text.")
    Path corpus;

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME",
            description = "The re-ranking model directory. Also ORG/NAME[@revision] from the Hugging Face Hub (cached; HF_HUB_OFFLINE=1 for cache only).")
    Path model;

    @Option(names = "--kind", defaultValue = "cross_encoder",
            description = "Model kind: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The re-ranked TREC run.")
    Path output;

    @Option(names = "--depth", defaultValue = "100", description = "Documents re-ranked per query (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--batch-size", defaultValue = "32",
            description = "Pairs (texts for a dual encoder) per forward pass; a query's pairs are sorted by length"
                    + " into batches (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-length", defaultValue = "256",
            description = "Tokens per pair (cross-encoder) or document (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--query-length", defaultValue = "32",
            description = "Query tokens (ColBERT N_q, dual encoder limit) (default: ${DEFAULT-VALUE}).")
    int queryLength;

    @Option(names = "--tag", defaultValue = "ranker4j-rerank", description = "Run tag (default: ${DEFAULT-VALUE}).")
    String tag;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        new OutputPaths().input("--run", run).input("--index", firstStage.index).input("--queries", queries).input("--corpus", corpus).input("--qrels", qrels)
                .input("--model", model).file("--output", output);
        if (depth < 1 || batchSize < 1 || queryLength < 1) {
            throw new IllegalArgumentException("--depth, --batch-size and --query-length must be >= 1");
        }
        if (maxLength < 3) throw new IllegalArgumentException("--max-length must be >= 3 (special tokens included), got " + maxLength);
        backend.install();
        PairScorer scorer = scorer(); // first: a model that cannot score fails before the data is read
        if (includeJudged && qrels == null) throw new IllegalArgumentException("--include-judged needs --qrels");
        Qrels judged = qrels == null ? null : Qrels.read(qrels);
        Run firstStage = this.firstStage.run(run, queries, judged, depth, quiet);
        if (firstStage.size() == 0) {
            throw new IllegalArgumentException(run != null ? run + ": the run holds no entries"
                    : this.firstStage.index + ": the index search found nothing");
        }
        if (judged != null) {
            firstStage = firstStage.restrictedTo(judged.queryIds());
            if (firstStage.size() == 0) {
                throw new IllegalArgumentException((run != null ? run : this.firstStage.index)
                        + ": no query of the run is judged in " + qrels);
            }
            if (includeJudged) firstStage = withJudged(firstStage, judged);
        }
        var queryTexts = TextFiles.queries(queries);
        var docTexts = TextFiles.documents(corpus);
        // With the judged documents added, each list is already cut to what is to be scored.
        RunReranker reranker = new RunReranker(scorer, includeJudged ? Integer.MAX_VALUE : depth);
        Run reranked;
        try (Progress progress = quiet ? Progress.NONE : Progress.console("rerank", reranker.pairCount(firstStage),
                "pairs")) {
            reranked = reranker.rerank(firstStage, queryTexts, docTexts, progress);
        }
        TrecFormat.writeRun(output, reranked.entries(tag));
        spec.commandLine().getOut().printf("{\"output\":%s,\"queries\":%d,\"pairs\":%d}%n", Json.quote(output.toString()),
                reranked.size(), reranker.pairCount(firstStage));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * The run cut to --depth, plus each query's judged relevant documents missing from it, appended below its last
     * candidate (so they stay within the depth the re-ranker scores).
     */
    private Run withJudged(Run firstStage, Qrels judged) {
        Run.Builder builder = new Run.Builder();
        for (String queryId : firstStage.queryIds()) {
            var ranking = firstStage.ranking(queryId);
            int kept = Math.min(depth, ranking.size());
            double lowest = Double.POSITIVE_INFINITY;
            for (var doc : ranking.subList(0, kept)) {
                builder.add(queryId, doc.docId(), doc.score());
                lowest = Math.min(lowest, doc.score());
            }
            for (var judgment : judged.judgments(queryId).entrySet()) {
                if (judgment.getValue() >= 1) builder.add(queryId, judgment.getKey(), lowest - 1);
            }
        }
        return builder.build();
    }

    private PairScorer scorer() throws java.io.IOException {
        Path model = ModelLocator.locate(this.model.toString());
        return switch (kind) {
            case cross_encoder -> {
                CrossEncoder crossEncoder = CrossEncoder.load(model, DType.F32, 0); // its own head, or a clear refusal
                InferenceModels.requireFits("--max-length", maxLength, crossEncoder.config(), this.model);
                yield new CrossEncoderScorer(WordPieceTokenizer.fromDirectory(model), crossEncoder, maxLength, batchSize);
            }
            case colbert -> {
                Colbert colbert = Colbert.load(model, DType.F32);
                InferenceModels.requireFits("--max-length", maxLength, colbert.config(), this.model);
                yield new ColbertScorer(WordPieceTokenizer.fromDirectory(model), colbert, ColbertInputs.BERT_UNCASED,
                        queryLength, maxLength, batchSize);
            }
            case dual_encoder -> {
                SentenceEncoder encoder = SentenceEncoder.load(model).withBatchSize(batchSize);
                InferenceModels.requireFits("--max-length", maxLength, encoder.model().config(), this.model);
                yield new DualEncoderScorer(encoder::encode, Similarity.COSINE, queryLength, maxLength);
            }
        };
    }
}
