package dev.ranker4j.training.sampling;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the per-query {@link TeacherPair}s TAS-Balanced draws from. */
public final class TeacherPairs {
    private TeacherPairs() {}

    /**
     * Every (p+, p-) pair of each query: p+ a judged relevant passage (grade &ge; threshold) and p- any other passage,
     * both scored by the teacher in {@code teacherScores} (e.g. a cross-encoder's scores on a retriever's top 100).
     * Queries with no scored positive or no scored negative have no pairs and are left out.
     */
    public static Map<String, List<TeacherPair>> fromScores(Run teacherScores, Qrels qrels, int relevanceThreshold) {
        Map<String, List<TeacherPair>> pairs = new LinkedHashMap<>();
        for (String queryId : teacherScores.queryIds()) {
            Map<String, Integer> judged = qrels.judgments(queryId);
            List<ScoredDoc> positives = new ArrayList<>();
            List<ScoredDoc> negatives = new ArrayList<>();
            for (ScoredDoc doc : teacherScores.ranking(queryId)) {
                boolean relevant = judged.getOrDefault(doc.docId(), Integer.MIN_VALUE) >= relevanceThreshold;
                (relevant ? positives : negatives).add(doc);
            }
            List<TeacherPair> queryPairs = new ArrayList<>();
            for (ScoredDoc positive : positives) {
                for (ScoredDoc negative : negatives) {
                    queryPairs.add(new TeacherPair(positive.docId(), negative.docId(), (float) positive.score(),
                            (float) negative.score()));
                }
            }
            if (!queryPairs.isEmpty()) pairs.put(queryId, queryPairs);
        }
        return pairs;
    }
}
