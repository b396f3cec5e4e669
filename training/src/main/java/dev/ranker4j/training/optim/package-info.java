/**
 * Optimisation: {@link dev.ranker4j.training.optim.AdamW} (exactly torch.optim.AdamW) and
 * {@link dev.ranker4j.training.optim.Sgd}, the learning-rate schedule of Hugging Face's
 * {@code get_linear_schedule_with_warmup}, and global-norm gradient clipping. Updates are plain loops over the
 * parameters' arrays, one element at a time, in the parameters' order (so runs and resumes are bit-identical).
 */
package dev.ranker4j.training.optim;
