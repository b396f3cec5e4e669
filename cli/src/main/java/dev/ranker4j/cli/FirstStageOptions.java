package dev.ranker4j.cli;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --index DIR} as the first stage of {@code rerank} and {@code mine-negatives}: instead of reading a run
 * (--run), the commands search a Lucene index from {@code ranker4j index} for the queries' top k, exactly as
 * {@code ranker4j search --index} would.
 */
final class FirstStageOptions {
    @Option(names = "--index", paramLabel = "DIR",
            description = "Search this Lucene index (ranker4j index) for the first stage instead of reading --run:"
                    + " BM25 searches the query texts; a vector index needs --retriever-model to encode them.")
    Path index;

    @Option(names = "--retriever-model", paramLabel = "DIR|ORG/NAME",
            description = "With a vector --index: the dual encoder that encodes the queries (as ranker4j encode --normalize).")
    Path retrieverModel;

    @Option(names = "--ef", defaultValue = "100",
            description = "With an HNSW --index: the search beam (default: ${DEFAULT-VALUE}).")
    int ef;

    /**
     * The first-stage run: {@code runFile} read, or the top {@code k} of {@code queries} searched in the index.
     *
     * @param judged when not null, only these qrels' queries are searched
     */
    Run run(Path runFile, Path queries, Qrels judged, int k, boolean quiet) throws IOException {
        if (runFile != null && index != null) throw new IllegalArgumentException("give --run or --index, not both");
        if (runFile != null) return Run.readTrec(runFile);
        if (index == null) throw new IllegalArgumentException("needs the first stage: --run FILE or --index DIR");
        if (queries == null) throw new IllegalArgumentException("--index needs --queries (the query texts to search)");
        IndexSearch.Request request = IndexSearch.Request.of(index, queries, judged, k)
                .withModel(retrieverModel, ef, quiet);
        return IndexSearch.run(request).run();
    }
}
