/**
 * Ranker distillation (Gao, Dai &amp; Callan, "Understanding BERT Rankers Under Distillation", ICTIR 2020): a small
 * student ranker learns from a large teacher's scores and, TinyBERT-style, from its hidden states and attention
 * distributions through a layer mapping.
 */
package dev.ranker4j.training.distill;
