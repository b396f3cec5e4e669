/**
 * The training objectives of the four seed papers, each a small class whose Javadoc carries the paper's equation.
 * Every loss takes score {@link dev.ranker4j.autograd.Variable}s (and constant targets or teacher scores) and returns
 * a one-element Variable, so the gradient reaches whatever model produced the scores. Shapes are checked up front and
 * errors name the loss and the shapes.
 */
package dev.ranker4j.training.loss;
