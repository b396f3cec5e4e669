package dev.ranker4j.training.train;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.training.loss.RocketQaV2Loss;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import dev.ranker4j.transformer.ranking.DualEncoder;

import java.util.Map;

/**
 * RocketQAv2 joint training: the retriever and the re-ranker score the same candidate lists and one loss
 * ({@link RocketQaV2Loss}) sends gradients into both, so a single optimizer over {@link #jointModel()} steps both.
 */
public final class RocketQaV2Objective implements Objective<ListwiseBatch> {
    private final DualEncoder retriever;
    private final CrossEncoder reranker;
    private final Module joint;
    private final RocketQaV2Loss loss = new RocketQaV2Loss();

    public RocketQaV2Objective(DualEncoder retriever, CrossEncoder reranker) {
        this.retriever = retriever;
        this.reranker = reranker;
        this.joint = new JointModel(retriever, reranker);
    }

    /** Both models under {@code retriever.*} and {@code reranker.*}: what the optimizer and the trainer hold. */
    public Module jointModel() {
        return joint;
    }

    @Override
    public Loss loss(ListwiseBatch batch) {
        int queries = batch.queries().batchSize(), list = batch.listSize();
        Variable q = retriever.encodeQueries(batch.queries());                               // [Q, d]
        Variable p = retriever.encodePassages(batch.passages());                             // [Q·L, d]
        Variable retrieverScores = retriever.similarity().pairs(
                q.unsqueeze(1).expand(queries, list, q.shape()[1]).reshape(queries * list, q.shape()[1]), p)
                .reshape(queries, list);
        Variable rerankerScores = reranker.score(batch.pairs()).reshape(queries, list);
        RocketQaV2Loss.Parts parts = loss.compute(retrieverScores, rerankerScores);
        return new Loss(parts.loss(), Map.of("loss_kl", parts.kl().item(), "loss_sup", parts.supervised().item()));
    }

    @Override
    public int examples(ListwiseBatch batch) {
        return batch.queries().batchSize();
    }

    /** Groups the two models so their parameters have one namespace. */
    private static final class JointModel extends Module {
        JointModel(DualEncoder retriever, CrossEncoder reranker) {
            registerModule("retriever", retriever);
            registerModule("reranker", reranker);
        }
    }
}
