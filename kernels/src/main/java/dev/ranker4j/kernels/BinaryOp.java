package dev.ranker4j.kernels;

/** Elementwise functions of two inputs. Comparisons yield 1 for true and 0 for false, in the operands' type. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN, POW,
    EQ, NE, LT, LE, GT, GE
}
