package dev.ranker4j.ir.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Splits judged queries into two disjoint sets, e.g. training queries and a held-out dev split for choosing
 * checkpoints and hyperparameters without looking at the test queries. The split depends only on the set of query
 * ids, the fraction and the seed: the ids are sorted, shuffled by a seeded {@link Random}, and the first
 * {@code round(fraction · queries)} are held out. Every judgment of a query goes where its query goes.
 *
 * @param kept     judgments of the queries that stay
 * @param heldOut  judgments of the held-out queries
 */
public record QrelsSplit(Qrels kept, Qrels heldOut) {

    public static QrelsSplit of(Qrels qrels, double heldOutFraction, long seed) {
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in (0, 1), got " + heldOutFraction);
        }
        List<String> ids = new ArrayList<>(qrels.queryIds());
        Collections.sort(ids);
        Collections.shuffle(ids, new Random(seed));
        int heldOutCount = (int) Math.round(heldOutFraction * ids.size());
        if (heldOutCount == 0 || heldOutCount == ids.size()) {
            throw new IllegalArgumentException("a fraction of " + heldOutFraction + " of " + ids.size()
                    + " queries leaves one side empty");
        }
        Set<String> heldOutIds = new HashSet<>(ids.subList(0, heldOutCount));
        List<Judgment> kept = new ArrayList<>(), heldOut = new ArrayList<>();
        for (Judgment judgment : qrels.judgments()) {
            (heldOutIds.contains(judgment.queryId()) ? heldOut : kept).add(judgment);
        }
        return new QrelsSplit(Qrels.of(kept), Qrels.of(heldOut));
    }
}
