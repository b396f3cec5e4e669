/** Reverse-mode automatic differentiation: each op's forward and backward in one place, a registry of every op, modules and parameters. */
package dev.ranker4j.autograd;
