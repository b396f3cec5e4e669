package dev.ranker4j.ir.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One line of the Reranker toolkit's inference input: {@code {"qid", "pid", "qry": [ids], "psg": [ids]}}, a pair to
 * score. The toolkit pairs these lines with an id file ({@code qid\tpid} per line, same order) and writes one score
 * per pair.
 */
public record InferenceExample(String queryId, String passageId, int[] queryTokenIds, int[] passageTokenIds) {
    public InferenceExample {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(passageId, "passageId");
        Objects.requireNonNull(queryTokenIds, "queryTokenIds");
        Objects.requireNonNull(passageTokenIds, "passageTokenIds");
    }

    /** The pair's ids, i.e. this example's line of the id file. */
    public QueryPassageId ids() {
        return new QueryPassageId(queryId, passageId);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InferenceExample that && queryId.equals(that.queryId)
                && passageId.equals(that.passageId) && Arrays.equals(queryTokenIds, that.queryTokenIds)
                && Arrays.equals(passageTokenIds, that.passageTokenIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(queryId, passageId, Arrays.hashCode(queryTokenIds), Arrays.hashCode(passageTokenIds));
    }

    @Override
    public String toString() {
        return "InferenceExample[" + queryId + ", " + passageId + ", " + Arrays.toString(queryTokenIds) + ", "
                + Arrays.toString(passageTokenIds) + "]";
    }
}
