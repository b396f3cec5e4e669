/** Combining runs: score interpolation of a re-ranker with its first stage, with the weight tuned on held-out queries. */
package dev.ranker4j.ir.fusion;
