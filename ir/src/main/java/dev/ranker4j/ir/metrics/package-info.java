/**
 * Ranking evaluation that reproduces trec_eval's figures (nDCG@k, MRR@k, Recall@k, MAP, P@k; relevance threshold,
 * tie-breaking, {@code -c}) and paired significance tests between runs. docs/EVALUATION.md has the definitions.
 */
package dev.ranker4j.ir.metrics;
