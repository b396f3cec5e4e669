package dev.ranker4j.kernels;

/**
 * The scalars of one AdamW update of one parameter (Loshchilov &amp; Hutter, ICLR 2019, as {@code torch.optim.AdamW}
 * computes it), for {@link Backend#adamW}: at step t with gradient g,
 * <pre>
 *   θ ← θ · decayFactor                                  decayFactor = 1 − lr·λ
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − stepSize · m / (√v / biasCorrection2Sqrt + ε)   stepSize = lr / (1 − β₁ᵗ), biasCorrection2Sqrt = √(1 − β₂ᵗ)
 * </pre>
 * Held in double; the float32 update rounds each to float once (as PyTorch does for float32 parameters), with
 * 1 − β₁ and 1 − β₂ computed in double before that rounding.
 */
public record AdamWStep(double decayFactor, double stepSize, double beta1, double beta2, double biasCorrection2Sqrt,
                        double eps) {}
