package dev.ranker4j.training.train;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.training.distill.RankerDistillationLoss;
import dev.ranker4j.transformer.bert.BertOutput;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranker distillation (Gao, Dai &amp; Callan, ICTIR 2020): a student cross-encoder learns from a frozen teacher
 * cross-encoder's scores, hidden states and attentions on the same pairs ({@link RankerDistillationLoss}). The
 * student may come from a smaller LM or a random initialisation. The trainable parameters are the student's and the
 * loss's projection: {@link #trainableModel()}.
 */
public final class RankerDistillationObjective implements Objective<PairBatch> {
    private final CrossEncoder student;
    private final CrossEncoder teacher;
    private final RankerDistillationLoss loss;
    private final Module trainable;

    public RankerDistillationObjective(CrossEncoder student, CrossEncoder teacher, RankerDistillationLoss loss) {
        this.student = student;
        this.teacher = teacher;
        this.loss = loss;
        this.trainable = new Trainable(student, loss);
        teacher.eval();
    }

    /** The student under {@code student.*} and the projection under {@code distillation.*}. */
    public Module trainableModel() {
        return trainable;
    }

    @Override
    public Loss loss(PairBatch batch) {
        RankerDistillationLoss.Weights w = loss.weights();
        BertOutput.Options options = new BertOutput.Options(w.hidden() != 0, w.attention() != 0);
        CrossEncoder.Output teacherOut;
        try (NoGrad ignored = NoGrad.enter()) {
            teacherOut = teacher.forward(batch.pairs(), options);
        }
        CrossEncoder.Output studentOut = student.forward(batch.pairs(), options);
        RankerDistillationLoss.Parts parts = loss.compute(studentOut.scores(), teacherOut.scores().value(),
                studentOut.encoderOutput().hiddenStates(), values(teacherOut.encoderOutput().hiddenStates()),
                studentOut.encoderOutput().attentions(), values(teacherOut.encoderOutput().attentions()));
        Map<String, Double> logged = new HashMap<>();
        logged.put("loss_score", parts.score().item());
        if (parts.hidden() != null) logged.put("loss_hidden", parts.hidden().item());
        if (parts.attention() != null) logged.put("loss_attention", parts.attention().item());
        return new Loss(parts.loss(), logged);
    }

    private static List<Tensor> values(List<Variable> variables) {
        List<Tensor> out = new ArrayList<>();
        for (Variable v : variables) out.add(v.value());
        return out;
    }

    @Override
    public int examples(PairBatch batch) {
        return batch.queries();
    }

    private static final class Trainable extends Module {
        Trainable(CrossEncoder student, RankerDistillationLoss loss) {
            registerModule("student", student);
            registerModule("distillation", loss);
        }
    }
}
