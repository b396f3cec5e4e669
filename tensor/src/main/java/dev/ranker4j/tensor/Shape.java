package dev.ranker4j.tensor;

import java.util.Arrays;

/**
 * Shape and stride arithmetic: sizes, row-major strides, NumPy broadcasting, axis normalisation and the stride rule
 * behind {@link Tensor#view}. Pure functions of int arrays; every error names the op that asked.
 */
public final class Shape {
    private Shape() {}

    /** "[2, 3]": how shapes appear in every error message. */
    public static String format(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Number of elements (1 for a scalar of rank 0). */
    public static long size(int[] shape) {
        long size = 1;
        for (int d : shape) size *= d;
        return size;
    }

    /** {@link #size} checked to fit a Java array, the limit of one storage. */
    static int checkedSize(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(op + ": negative dimension in shape " + format(shape));
        }
        long size = size(shape);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(op + ": shape " + format(shape) + " has " + size
                    + " elements, more than one Java array holds");
        }
        return (int) size;
    }

    /** Row-major strides: the last axis has stride 1, each earlier one the product of the sizes after it. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            strides[axis] = stride;
            stride *= Math.max(shape[axis], 1);
        }
        return strides;
    }

    /** True when (shape, strides) walks memory in row-major order with no gaps; size-1 axes may have any stride. */
    public static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            if (shape[axis] == 1) continue;
            if (shape[axis] == 0) return true;
            if (strides[axis] != expected) return false;
            expected *= shape[axis];
        }
        return true;
    }

    /** Python-style axis: {@code -1} is the last. Throws naming the op when out of range. */
    public static int axis(String op, int axis, int rank) {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return normalized;
    }

    /** Marks the given axes (negative allowed) as {@code true}; duplicates are an error. */
    static boolean[] axisSet(String op, int[] axes, int rank) {
        boolean[] selected = new boolean[rank];
        for (int axis : axes) {
            int a = axis(op, axis, rank);
            if (selected[a]) throw new IllegalArgumentException(op + ": axis " + axis + " is repeated in " + Arrays.toString(axes));
            selected[a] = true;
        }
        return selected;
    }

    /**
     * The NumPy broadcast of two shapes: align them at the last axis; at each axis the sizes must be equal or one of
     * them 1 (a missing axis counts as 1); the result takes the larger size.
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] result = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int da = i <= a.length ? a[a.length - i] : 1;
            int db = i <= b.length ? b[b.length - i] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + format(a) + " and " + format(b)
                        + " cannot be broadcast: axis " + (-i) + " has sizes " + da + " and " + db);
            }
            result[rank - i] = da == 1 ? db : da;
        }
        return result;
    }

    /**
     * Strides that read a tensor of ({@code shape}, {@code strides}) as if it had shape {@code target}: axes it lacks
     * or has with size 1 get stride 0, so one element serves every position along them.
     */
    static int[] broadcastStrides(String op, int[] shape, int[] strides, int[] target) {
        if (shape.length > target.length) {
            throw new IllegalArgumentException(op + ": cannot broadcast shape " + format(shape) + " to " + format(target));
        }
        int[] result = new int[target.length];
        int lead = target.length - shape.length;
        for (int axis = 0; axis < shape.length; axis++) {
            int from = shape[axis], to = target[lead + axis];
            if (from == to) {
                result[lead + axis] = from == 1 ? 0 : strides[axis];
            } else if (from == 1) {
                result[lead + axis] = 0;
            } else {
                throw new IllegalArgumentException(op + ": cannot broadcast shape " + format(shape) + " to "
                        + format(target) + ": axis " + axis + " has size " + from + ", target " + to);
            }
        }
        return result;
    }

    /** Replaces one {@code -1} in {@code shape} by the size that makes the element count equal {@code size}. */
    static int[] inferShape(String op, int[] from, int[] shape) {
        long size = size(from);
        int[] result = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int axis = 0; axis < shape.length; axis++) {
            if (shape[axis] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException(op + ": only one -1 allowed in " + format(shape));
                unknown = axis;
            } else if (shape[axis] < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in " + format(shape));
            } else {
                known *= shape[axis];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException(op + ": cannot infer -1 in " + format(shape) + " for "
                        + size + " elements of shape " + format(from));
            }
            result[unknown] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException(op + ": shape " + format(from) + " (" + size + " elements) cannot become "
                    + format(shape) + " (" + known + " elements)");
        }
        return result;
    }

    /**
     * Strides that let a tensor of (shape, strides) be read as {@code newShape} without moving data, or null when
     * impossible. The old axes split into chunks whose elements are evenly spaced (each axis's stride is the next
     * one's stride times its size); a new shape is viewable when its axes subdivide those chunks exactly. This is the
     * same rule as PyTorch's {@code view}.
     */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        if (isContiguous(shape, strides)) return contiguousStrides(newShape);
        int[] newStrides = new int[newShape.length];
        int viewAxis = newShape.length - 1;
        int chunkBaseStride = strides[strides.length - 1];
        long tensorCount = 1, viewCount = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            tensorCount *= shape[axis];
            boolean chunkEnds = axis == 0
                    || (shape[axis - 1] != 1 && strides[axis - 1] != tensorCount * chunkBaseStride);
            if (!chunkEnds) continue;
            while (viewAxis >= 0 && (viewCount < tensorCount || newShape[viewAxis] == 1)) {
                newStrides[viewAxis] = (int) (viewCount * chunkBaseStride);
                viewCount *= newShape[viewAxis];
                viewAxis--;
            }
            if (viewCount != tensorCount) return null;
            if (axis > 0) {
                chunkBaseStride = strides[axis - 1];
                tensorCount = 1;
                viewCount = 1;
            }
        }
        return viewAxis == -1 ? newStrides : null;
    }
}
