package dev.ranker4j.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.ranker4j.tensor.TestSupport.assertElements;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionTest {

    /** The composed twin: heads as views, matmul, softmax with the broadcast mask, matmul, heads merged by a copy. */
    static Tensor composed(Tensor q, Tensor k, Tensor v, int heads, Tensor mask, double scale) {
        int batch = q.size(0), seqQ = q.size(1), seqK = k.size(1), width = q.size(2), d = width / heads;
        Tensor qh = q.reshape(batch, seqQ, heads, d).permute(0, 2, 1, 3);
        Tensor kh = k.reshape(batch, seqK, heads, d).permute(0, 2, 1, 3);
        Tensor vh = v.reshape(batch, seqK, heads, d).permute(0, 2, 1, 3);
        Tensor p = qh.matmul(kh.transpose(-1, -2)).mul(scale).softmax(-1, mask);
        return p.matmul(vh).permute(0, 2, 1, 3).reshape(batch, seqQ, width);
    }

    @Property(tries = 40)
    void fusedAttentionEqualsTheComposedOps(@ForAll long seed, @ForAll boolean f64, @ForAll boolean masked) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        Random random = new Random(seed);
        int batch = 1 + random.nextInt(3), heads = 1 + random.nextInt(3), d = 1 + random.nextInt(4);
        int seqQ = 1 + random.nextInt(6), seqK = random.nextBoolean() ? seqQ : 1 + random.nextInt(6), width = heads * d;
        // q, k, v as column windows of one [batch, seq, 3·width] projection when the lengths agree, as in the model.
        Tensor q, k, v;
        if (seqQ == seqK) {
            Tensor qkv = TestSupport.random(dtype, random, batch, seqQ, 3 * width);
            q = qkv.narrow(2, 0, width);
            k = qkv.narrow(2, width, width);
            v = qkv.narrow(2, 2 * width, width);
        } else {
            q = TestSupport.random(dtype, random, batch, seqQ, width);
            k = TestSupport.random(dtype, random, batch, seqK, width);
            v = TestSupport.random(dtype, random, batch, seqK, width);
        }
        Tensor mask = null;
        if (masked) {
            double[] m = new double[batch * seqK];
            for (int i = 0; i < m.length; i++) m[i] = i % seqK != 0 && random.nextInt(3) == 0 ? -1e9 : 0;
            mask = Tensor.fromArray(m, batch, 1, 1, seqK).to(dtype);
        }
        double scale = 1 / Math.sqrt(d);
        Tensor fused = Tensor.attention(q, k, v, heads, mask, scale, null);
        Tensor expected = composed(q, k, v, heads, mask, scale);
        assertArrayEquals(expected.shape(), fused.shape());
        assertTrue(fused.isContiguous());
        assertElements(fused, expected.shape(), expected::get, TestSupport.tolerance(dtype) * 4, "fused vs composed attention");
    }

    /** [batch, seq, heads·d] → [batch, heads, seq, d] as a view. */
    private static Tensor split(Tensor x, int heads) {
        return x.reshape(x.size(0), x.size(1), heads, x.size(2) / heads).permute(0, 2, 1, 3);
    }

    /** [batch, heads, seq, d] → [batch, seq, heads·d]. */
    private static Tensor merge(Tensor x) {
        return x.permute(0, 2, 1, 3).reshape(x.size(0), x.size(2), x.size(1) * x.size(3));
    }

    /** The composed backward twin on head views: {dq, dk, dv}. */
    static Tensor[] composedBackward(Tensor q, Tensor k, Tensor v, int heads, Tensor mask, double scale, Tensor g) {
        Tensor qh = split(q, heads), kh = split(k, heads), vh = split(v, heads), gh = split(g, heads);
        Tensor p = qh.matmul(kh.transpose(-1, -2)).mul(scale).softmax(-1, mask);
        Tensor ds = Gradients.softmax(p, gh.matmul(vh.transpose(-1, -2)), -1).mul(scale);
        return new Tensor[] {merge(ds.matmul(kh)), merge(ds.transpose(-1, -2).matmul(qh)), merge(p.transpose(-1, -2).matmul(gh))};
    }

    @Property(tries = 40)
    void fusedBackwardEqualsTheComposedOps(@ForAll long seed, @ForAll boolean f64, @ForAll boolean masked,
                                           @ForAll boolean packed) {
        DType dtype = f64 ? DType.F64 : DType.F32;
        Random random = new Random(seed);
        int batch = 1 + random.nextInt(3), heads = 1 + random.nextInt(3), d = 1 + random.nextInt(5);
        int seqQ = 1 + random.nextInt(7), seqK = packed ? seqQ : 1 + random.nextInt(7), width = heads * d;
        Tensor qkv = TestSupport.random(dtype, random, batch, seqQ, 3 * width);
        Tensor q = packed ? qkv.narrow(2, 0, width) : TestSupport.random(dtype, random, batch, seqQ, width);
        Tensor k = packed ? qkv.narrow(2, width, width) : TestSupport.random(dtype, random, batch, seqK, width);
        Tensor v = packed ? qkv.narrow(2, 2 * width, width) : TestSupport.random(dtype, random, batch, seqK, width);
        Tensor mask = null;
        if (masked) {
            double[] m = new double[batch * seqK];
            for (int i = 0; i < m.length; i++) m[i] = i % seqK != 0 && random.nextInt(3) == 0 ? -1e9 : 0;
            mask = Tensor.fromArray(m, batch, 1, 1, seqK).to(dtype);
        }
        // A transposed view as the gradient: the kernel must read it through a copy or its strides, not assume layout.
        Tensor g = TestSupport.random(dtype, random, seqQ, batch, width).permute(1, 0, 2);
        double scale = 1 / Math.sqrt(d);
        Tensor[] expected = composedBackward(q, k, v, heads, mask, scale, g);
        Tensor[] fused;
        if (packed) {
            Tensor grad = Gradients.attention(qkv, heads, mask, scale, null, g);
            assertArrayEquals(qkv.shape(), grad.shape());
            fused = new Tensor[] {grad.narrow(2, 0, width), grad.narrow(2, width, width), grad.narrow(2, 2 * width, width)};
        } else {
            fused = Gradients.attention(q, k, v, heads, mask, scale, null, g);
        }
        String[] names = {"dq", "dk", "dv"};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected[i].shape(), fused[i].shape(), names[i]);
            assertElements(fused[i], expected[i].shape(), expected[i]::get, TestSupport.tolerance(dtype) * 8,
                    "fused vs composed attention backward, " + names[i]);
        }
    }

    @Test
    void badShapesAreNamed() {
        Tensor q = Tensor.ones(DType.F32, 2, 3, 6), k = Tensor.ones(DType.F32, 2, 4, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.attention(q, k, k, 4, null, 1, null));
        assertTrue(e.getMessage().contains("heads = 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.attention(q, k, k, 2, Tensor.zeros(DType.F32, 2, 1, 1, 3), 1, null));
        assertTrue(e.getMessage().contains("seqK = 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gradients.attention(q, k, k, 2, null, 1, null, Tensor.ones(DType.F32, 2, 4, 6)));
        assertTrue(e.getMessage().contains("the output gradient must be [batch, seqQ, heads·d] = [2, 3, 6], got [2, 4, 6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gradients.attention(Tensor.ones(DType.F32, 2, 3, 7), 1, null, 1, null, Tensor.ones(DType.F32, 2, 3, 2)));
        assertTrue(e.getMessage().contains("packed qkv"), e.getMessage());
    }
}
