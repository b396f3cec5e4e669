"""Fits the polynomial CpuBackend's float32 GELU uses for erfc (see kernels/.../cpu/VectorMath.java).

erfc(z) = 2 · t · exp(−z²) · Q(t) with t = 1 / (1 + z/2), z ≥ 0. Q(t) = erfc(z) · exp(z²) / (2t) is smooth and
bounded on t ∈ [1/6, 1] (z ∈ [0, 10]; beyond, erfc underflows float32), so a degree-8 least-squares fit on
Chebyshev nodes (weighted for relative error), against erfc from mpmath at 40 digits, is enough. exp(−z²) is kept
outside Q so that one exp serves both Φ(x) and the density φ(x) = exp(−x²/2)/√(2π) in GELU's derivative; the factor
2 is folded into Q so that Φ(−|x|) = ½ erfc(|x|/√2) = t · exp(−x²/2) · Q(t).

Prints the coefficients (lowest degree first, rounded to float32) and the worst relative error of the float32
evaluation of Φ(−|x|) per |x| range. Needs mpmath and numpy; run: python3 scripts/fit_erfc_f32.py
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40
HALF, Z_MAX, DEGREE, NODES = 0.5, 10.0, 8, 400
T_MIN = 1 / (1 + HALF * Z_MAX)


def shape(t):
    z = (1 / t - 1) / HALF
    return float(mp.erfc(z) * mp.exp(z * z) / (2 * t))


k = np.arange(NODES)
ts = (T_MIN + 1) / 2 + (1 - T_MIN) / 2 * np.cos(np.pi * (k + 0.5) / NODES)
ys = np.array([shape(t) for t in ts])
fit = np.polynomial.chebyshev.Chebyshev.fit(ts, ys, DEGREE, domain=[T_MIN, 1], w=1 / ys)
coefficients = fit.convert(kind=np.polynomial.Polynomial, domain=[T_MIN, 1], window=[T_MIN, 1]).coef.astype(np.float32)
print("coefficients:", [float(c) for c in coefficients])

f32 = np.float32
for limit in (2, 4, 6, 8, 10, 14):
    worst = 0.0
    for x in np.linspace(-limit, 0, 801).astype(np.float32):
        ax = abs(x)
        t = f32(1) / (f32(ax) * f32(HALF * 0.70710677) + f32(1))
        q = f32(0)
        for c in coefficients[::-1]:
            q = f32(q * t + c)
        gauss = mp.exp(float(-f32(f32(ax * ax) * f32(0.5))))
        approx = float(f32(t * q)) * gauss
        worst = max(worst, abs(float(approx / (mp.erfc(mp.mpf(float(ax)) / mp.sqrt(2)) / 2) - 1)))
    print(f"|x| <= {limit}: worst relative error of Phi(-|x|) in float32 = {worst:.2e}")
