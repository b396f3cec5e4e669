/**
 * The training loop: {@link dev.ranker4j.training.train.Trainer} drives an
 * {@link dev.ranker4j.training.train.Objective} over batches from a {@link dev.ranker4j.training.train.BatchSource}
 * with an optimizer, schedule, clipping and gradient accumulation; logs to the console and a JSONL file; writes
 * Hugging Face checkpoints with a trainer-state sidecar ({@link dev.ranker4j.training.train.TrainerState}) from which
 * a run resumes bit-identically. Objectives for each seed method adapt batches to models and losses.
 */
package dev.ranker4j.training.train;
