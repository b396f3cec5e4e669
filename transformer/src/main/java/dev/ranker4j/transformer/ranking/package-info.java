/**
 * Ranking heads on the BERT/DistilBERT encoders, each loading from and saving to the Hugging Face (or
 * sentence-transformers, or ColBERT) directory layout it is known by:
 * {@link dev.ranker4j.transformer.ranking.CrossEncoder} (BERT_CAT, BertForSequenceClassification with one label),
 * {@link dev.ranker4j.transformer.ranking.DualEncoder} (BERT_DOT, query and passage towers) and
 * {@link dev.ranker4j.transformer.ranking.Colbert} (late interaction with MaxSim). All return the encoder's hidden
 * states and attention probabilities on request, for distillation.
 */
package dev.ranker4j.transformer.ranking;
