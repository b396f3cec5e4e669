package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Gradients;
import dev.ranker4j.tensor.Tensor;

/**
 * Row lookup: y[i..., :] = table[ids[i...], :]. Shapes: table [vocab, dim], ids (integer constant) [...],
 * y [..., dim]. dtable = zeros with each g row added into the row it was read from (scatter-add: an id that occurs
 * twice receives both rows).
 */
public final class EmbeddingFn extends DifferentiableFunction {
    private final Tensor ids;
    private int[] tableShape;

    public EmbeddingFn(Tensor ids) {
        this.ids = ids;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        tableShape = in[0].shape();
        return in[0].embedding(ids);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Gradients.embedding(ids, g, tableShape[0])};
    }
}
