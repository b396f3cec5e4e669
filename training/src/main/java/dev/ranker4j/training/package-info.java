/** Losses, optimizers, schedules, samplers, trainers, data formats and metrics. */
package dev.ranker4j.training;
