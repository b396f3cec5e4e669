package dev.ranker4j.training.train;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.training.loss.RocketQaV2Loss;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import dev.ranker4j.transformer.ranking.DualEncoder;

import java.util.Map;

/**
 * RocketQAv2 joint training: the retriever and the re-ranker score the same candidate lists and one loss
 * ({@link RocketQaV2Loss}) sends gradients into both, so a single optimizer over {@link #jointModel()} steps both.
 * The paper's ablations (Table 4) are modes of the same objective: {@link Mode#STATIC} distils the retriever from a
 * frozen re-ranker, {@link Mode#NONE} trains the retriever on the labels alone.
 */
public final class RocketQaV2Objective implements Objective<ListwiseBatch> {
    /** What learns from what. */
    public enum Mode {
        /** Dynamic listwise distillation: KL into both models plus the re-ranker's supervised loss. */
        JOINT,
        /** Static: the retriever matches a frozen re-ranker's list distribution. */
        STATIC,
        /** No distillation: the retriever's listwise cross-entropy of the labelled positive. */
        NONE
    }

    private final DualEncoder retriever;
    private final CrossEncoder reranker;
    private final Mode mode;
    private final Module joint;
    private final RocketQaV2Loss loss = new RocketQaV2Loss();

    public RocketQaV2Objective(DualEncoder retriever, CrossEncoder reranker) {
        this(retriever, reranker, Mode.JOINT);
    }

    /** @param reranker the re-ranker (JOINT, STATIC); may be null for NONE */
    public RocketQaV2Objective(DualEncoder retriever, CrossEncoder reranker, Mode mode) {
        if (reranker == null && mode != Mode.NONE) throw new IllegalArgumentException("RocketQaV2Objective: mode " + mode + " needs a re-ranker");
        this.retriever = retriever;
        this.reranker = reranker;
        this.mode = mode;
        this.joint = mode == Mode.JOINT ? new JointModel(retriever, reranker) : retriever;
        if (mode == Mode.STATIC) reranker.eval(); // a fixed teacher: no dropout
    }

    /**
     * What the optimizer and the trainer hold: in JOINT mode both models under {@code retriever.*} and
     * {@code reranker.*}; otherwise the retriever alone.
     */
    public Module jointModel() {
        return joint;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public Loss loss(ListwiseBatch batch) {
        int queries = batch.queries().batchSize(), list = batch.listSize();
        Variable q = retriever.encodeQueries(batch.queries());                               // [Q, d]
        Variable p = retriever.encodePassages(batch.passages());                             // [Q·L, d]
        Variable retrieverScores = retriever.similarity().pairs(
                q.unsqueeze(1).expand(queries, list, q.shape()[1]).reshape(queries * list, q.shape()[1]), p)
                .reshape(queries, list);
        RocketQaV2Loss.Parts parts = switch (mode) {
            case JOINT -> loss.compute(retrieverScores, reranker.score(batch.pairs()).reshape(queries, list));
            case STATIC -> {
                Variable teacher;
                try (NoGrad ignored = NoGrad.enter()) {
                    teacher = reranker.score(batch.pairs()).reshape(queries, list);
                }
                yield loss.staticDistillation(retrieverScores, teacher);
            }
            case NONE -> loss.supervisedOnly(retrieverScores);
        };
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
