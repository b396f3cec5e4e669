"""Fits the polynomial CpuBackend's float32 GELU uses for erfc (see kernels/.../cpu/VectorMath.java).

erfc(z) = t · exp(−z² + P(t)) with t = 1 / (1 + z/2), z ≥ 0. P(t) = ln(erfc(z)) + z² − ln(t) is smooth on
t ∈ [1/6, 1] (z ∈ [0, 10]; beyond, erfc underflows float32), so a degree-9 least-squares fit on Chebyshev nodes,
against erfc from mpmath at 40 digits, reaches about 5e-8 relative in double arithmetic. Prints the coefficients
(lowest degree first, rounded to float32) and the worst relative error of the float32 evaluation per |x| range.
Needs mpmath and numpy; run: python3 scripts/fit_erfc_f32.py
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40
HALF, Z_MAX, DEGREE, NODES = 0.5, 10.0, 9, 400
T_MIN = 1 / (1 + HALF * Z_MAX)


def log_shape(t):
    z = (1 / t - 1) / HALF
    return float(mp.log(mp.erfc(z)) + z * z - mp.log(t))


k = np.arange(NODES)
ts = (T_MIN + 1) / 2 + (1 - T_MIN) / 2 * np.cos(np.pi * (k + 0.5) / NODES)
fit = np.polynomial.chebyshev.Chebyshev.fit(ts, [log_shape(t) for t in ts], DEGREE, domain=[T_MIN, 1])
coefficients = fit.convert(kind=np.polynomial.Polynomial, domain=[T_MIN, 1], window=[T_MIN, 1]).coef.astype(np.float32)
print("coefficients:", [float(c) for c in coefficients])

f32 = np.float32
for limit in (2, 4, 6, 8, 10, 14):
    worst = 0.0
    for x in np.linspace(-limit, 0, 801).astype(np.float32):
        ax = abs(x)
        t = f32(1) / (f32(1) + f32(HALF) * f32(ax * f32(0.70710677)))
        p = f32(0)
        for c in coefficients[::-1]:
            p = f32(p * t + c)
        approx = float(t) * mp.exp(float(p)) * mp.exp(float(-f32(f32(ax * ax) * f32(0.5))))
        worst = max(worst, abs(float(approx / mp.erfc(mp.mpf(float(ax)) / mp.sqrt(2)) - 1)))
    print(f"|x| <= {limit}: worst relative error of erfc(|x|/sqrt 2) in float32 = {worst:.2e}")
