package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.Strided;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * concat and stack (copies) and split and chunk (views).
 *
 * <p>concat lays the output out as [outer, total, inner] where outer is the product of the axes before the joined
 * one and inner of those after it: each input then fills, for every outer index, one contiguous block of
 * {@code size_i · inner} elements. That is a plain block move, done with {@link System#arraycopy} for every dtype.
 */
final class Joining {
    private Joining() {}

    static Tensor concat(int axis, List<Tensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("concat: no tensors to join");
        Tensor first = tensors.getFirst();
        int a = Shape.axis("concat", axis, first.rank());
        int total = 0;
        for (Tensor t : tensors) {
            boolean compatible = t.dtype == first.dtype && t.rank() == first.rank();
            for (int d = 0; compatible && d < t.rank(); d++) compatible = d == a || t.shape[d] == first.shape[d];
            if (!compatible) {
                throw new IllegalArgumentException("concat: along axis " + axis + ", " + t.describe() + " does not match "
                        + first.describe() + " (same dtype and every other axis equal)");
            }
            total += t.shape[a];
        }
        int[] outShape = first.shape.clone();
        outShape[a] = total;
        Tensor out = Tensor.output(first.dtype, outShape);
        int inner = (int) Shape.size(Arrays.copyOfRange(outShape, a + 1, outShape.length));
        int outer = (int) Shape.size(Arrays.copyOf(outShape, a));
        if (outer == 1 && first.dtype.isComputable()) {
            concatBlocksByKernel(tensors, a, inner, out);
            return out;
        }
        int start = 0;
        Object outArray = out.storage.hostReadWrite();
        for (Tensor t : tensors) {
            Tensor src = t.contiguous();
            Object srcArray = src.storage.hostRead();
            int block = t.shape[a] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(srcArray, src.offset + o * block, outArray, o * total * inner + start * inner, block);
            }
            start += t.shape[a];
        }
        return out;
    }

    /**
     * F32/F64 joined along the outermost non-trivial axis (a packed QKV weight, say): every input is one contiguous
     * block of the output, moved with {@link Backend#copy}, so that arrays a device backend holds stay there.
     */
    private static void concatBlocksByKernel(List<Tensor> tensors, int axis, int inner, Tensor out) {
        Backend backend = Backends.current();
        int start = 0;
        for (Tensor t : tensors) {
            Tensor src = t.contiguous();
            int[] block = {t.shape[axis] * inner};
            backend.copy(block, new Strided(src.ref(), UNIT), out.storage.kernelArray(start));
            start += block[0];
        }
    }

    private static final int[] UNIT = {1};

    static Tensor stack(int axis, List<Tensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: no tensors to join");
        Tensor first = tensors.getFirst();
        int a = Shape.axis("stack", axis, first.rank() + 1);
        List<Tensor> expanded = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            if (!Arrays.equals(t.shape, first.shape)) {
                throw new IllegalArgumentException("stack: shapes " + Shape.format(first.shape) + " and "
                        + Shape.format(t.shape) + " differ");
            }
            expanded.add(t.unsqueeze(a));
        }
        return concat(a, expanded);
    }

    static List<Tensor> split(Tensor x, int axis, int[] sizes) {
        int a = Shape.axis("split", axis, x.rank());
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: negative size in " + Arrays.toString(sizes));
            sum += s;
        }
        if (sum != x.shape[a]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " sum to " + sum
                    + ", but axis " + axis + " of shape " + Shape.format(x.shape) + " has size " + x.shape[a]);
        }
        List<Tensor> parts = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            parts.add(x.narrow(a, start, s));
            start += s;
        }
        return parts;
    }

    /** torch.chunk: pieces of ⌈size / chunks⌉ along the axis, the last one possibly smaller (and fewer if needed). */
    static List<Tensor> chunk(Tensor x, int chunks, int axis) {
        if (chunks < 1) throw new IllegalArgumentException("chunk: chunks must be ≥ 1, got " + chunks);
        int a = Shape.axis("chunk", axis, x.rank());
        int size = x.shape[a], piece = Math.max(1, (size + chunks - 1) / chunks);
        List<Tensor> parts = new ArrayList<>();
        for (int start = 0; start < size; start += piece) parts.add(x.narrow(a, start, Math.min(piece, size - start)));
        if (parts.isEmpty()) parts.add(x);
        return parts;
    }
}
