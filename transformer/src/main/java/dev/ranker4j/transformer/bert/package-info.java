/**
 * BERT and DistilBERT encoders written once on autograd ops, with Hugging Face parameter names.
 *
 * <ul>
 *   <li>{@link dev.ranker4j.transformer.bert.BertModel}, {@link dev.ranker4j.transformer.bert.DistilBertModel}:
 *       {@code fromConfig}, {@code load}/{@code save} of HF directories, {@code forward(BertInput, BertOutput.Options)}
 *       returning the last hidden state, the pooled vector, and on request every hidden state and attention map.
 *   <li>{@link dev.ranker4j.transformer.bert.Pooling}: CLS and masked-mean pooling, L2 normalisation, as autograd
 *       compositions (dual encoders train through them).
 *   <li>{@link dev.ranker4j.transformer.bert.SentenceEncoder}: tokenizer + model + pooling for inference with
 *       length-bucketed batches.
 * </ul>
 * Training runs {@code forward} with gradients on; inference runs the same code inside
 * {@link dev.ranker4j.autograd.NoGrad}, where no graph or saved tensors are kept.
 */
package dev.ranker4j.transformer.bert;
