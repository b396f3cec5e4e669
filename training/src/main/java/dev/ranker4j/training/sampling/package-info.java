/**
 * Training data construction, the samplers of the seeds: localized negatives for LCE ({@link
 * dev.ranker4j.training.sampling.LocalizedNegativeSampler}), TAS-Balanced batches ({@link
 * dev.ranker4j.training.sampling.TasBalancedSampler} over {@link dev.ranker4j.training.sampling.QueryClustering}) and
 * RocketQAv2's hybrid data augmentation ({@link dev.ranker4j.training.sampling.HybridDataAugmentation}). Their outputs
 * ({@link dev.ranker4j.training.sampling.LocalizedNegatives}, {@link dev.ranker4j.training.sampling.TasBalancedInstance},
 * {@link dev.ranker4j.training.sampling.ListwiseInstance}) are what the trainer consumes; {@link
 * dev.ranker4j.training.sampling.SamplingFiles} stores them. Every sampler is reproducible from its seed.
 */
package dev.ranker4j.training.sampling;
