//! The two element-wise steps of the encoder that candle runs one scalar libm call at a
//! time: GELU (exact, through `erf`) and softmax (through `exp`). `perf` put them at a
//! quarter of embedding time; written as branch-free loops over slices, the compiler
//! turns them into AVX-512/AVX2 code (chosen at run time, like [`super::dot`]).
//!
//! Both agree with the libm forms within 5e-7 (tested below), far inside the 1e-4 by
//! which our vectors must match sentence-transformers'.

use candle_core::{CpuStorage, CustomOp1, Layout, Shape, Tensor};

/// `gelu(x) = x · Φ(x)` with the exact (erf) Φ, as BERT's `"gelu"` activation is.
pub(super) fn gelu(xs: &Tensor) -> candle_core::Result<Tensor> {
    xs.apply_op1_no_bwd(&Map(Kernel::Gelu))
}

/// Softmax over the last dimension.
pub(super) fn softmax_last_dim(xs: &Tensor) -> candle_core::Result<Tensor> {
    xs.apply_op1_no_bwd(&Map(Kernel::Softmax))
}

#[derive(Clone, Copy)]
enum Kernel {
    Gelu,
    Softmax,
}

struct Map(Kernel);

impl CustomOp1 for Map {
    fn name(&self) -> &'static str {
        match self.0 {
            Kernel::Gelu => "distill-gelu",
            Kernel::Softmax => "distill-softmax",
        }
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let (CpuStorage::F32(data), Some((start, end))) = (storage, layout.contiguous_offsets()) else {
            candle_core::bail!("{} wants a contiguous f32 tensor", self.name())
        };
        let input = &data[start..end];
        let mut out = vec![0f32; input.len()];
        let width = layout.dims().last().copied().unwrap_or(1).max(1);
        apply(self.0, width, input, &mut out);
        Ok((CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// Run `kernel` compiled for AVX-512 or AVX2 when the CPU has them.
fn apply(kernel: Kernel, width: usize, input: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports the features the function is compiled for.
            return unsafe { apply_avx512(kernel, width, input, out) };
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            // SAFETY: as above.
            return unsafe { apply_avx2(kernel, width, input, out) };
        }
    }
    apply_portable(kernel, width, input, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
fn apply_avx512(kernel: Kernel, width: usize, input: &[f32], out: &mut [f32]) {
    apply_portable(kernel, width, input, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn apply_avx2(kernel: Kernel, width: usize, input: &[f32], out: &mut [f32]) {
    apply_portable(kernel, width, input, out)
}

/// The loops, inlined into each compiled variant above.
#[inline(always)]
fn apply_portable(kernel: Kernel, width: usize, input: &[f32], out: &mut [f32]) {
    match kernel {
        Kernel::Gelu => gelu_slice(input, out),
        Kernel::Softmax => {
            for (row, out) in input.chunks_exact(width).zip(out.chunks_exact_mut(width)) {
                softmax_row(row, out);
            }
        }
    }
}

#[inline(always)]
fn gelu_slice(input: &[f32], out: &mut [f32]) {
    for (o, &x) in out.iter_mut().zip(input) {
        *o = 0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2));
    }
}

#[inline(always)]
fn softmax_row(row: &[f32], out: &mut [f32]) {
    let max = lanes(row, f32::NEG_INFINITY, |a, x| if x > a { x } else { a });
    for (o, &x) in out.iter_mut().zip(row) {
        *o = exp(x - max);
    }
    let scale = 1.0 / lanes(out, 0.0, |a, x| a + x);
    for o in out.iter_mut() {
        *o *= scale;
    }
}

/// Fold `values` with `f` in sixteen independent lanes, then fold the lanes: a float
/// reduction the compiler may vectorize, since it keeps each lane's order.
#[inline(always)]
fn lanes(values: &[f32], init: f32, f: impl Fn(f32, f32) -> f32) -> f32 {
    const LANES: usize = 16;
    let mut acc = [init; LANES];
    let chunks = values.chunks_exact(LANES);
    let tail = chunks.remainder().iter().fold(init, |a, &x| f(a, x));
    for chunk in chunks {
        for i in 0..LANES {
            acc[i] = f(acc[i], chunk[i]);
        }
    }
    acc.iter().fold(tail, |a, &x| f(a, x))
}

/// erf by Abramowitz and Stegun, formula 7.1.26 (error ≤ 1.5e-7, 3e-7 in f32), made odd.
#[inline(always)]
fn erf(x: f32) -> f32 {
    const P: f32 = 0.327_591_1;
    const A: [f32; 5] = [0.254_829_6, -0.284_496_74, 1.421_413_7, -1.453_152_1, 1.061_405_4];
    let a = x.abs();
    let t = 1.0 / (1.0 + P * a);
    let poly = t * (A[0] + t * (A[1] + t * (A[2] + t * (A[3] + t * A[4]))));
    let y = 1.0 - poly * exp(-a * a);
    y.copysign(x)
}

/// e^x for f32 without a libm call: x = k·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor
/// series to r⁷ (relative error about 1e-7 there), 2^k built in the exponent bits.
/// Inputs below −87 give 0 (a masked attention score must weigh nothing); the callers
/// never pass more than 0.
#[inline(always)]
fn exp(x: f32) -> f32 {
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    let underflow = x < -87.0;
    let x = x.clamp(-87.0, 88.0);
    let k = (x * std::f32::consts::LOG2_E).round_ties_even();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (1.0 / 2.0
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
    // k is in [-126, 127] after the clamp, so the biased exponent is in [1, 254].
    let scale = f32::from_bits(((k as i32 + 127) as u32) << 23);
    if underflow { 0.0 } else { p * scale }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// erf by its Taylor series, exact in f64 for |x| ≤ 3 (beyond, cancellation grows).
    fn erf_reference(x: f64) -> f64 {
        let (mut term, mut sum, mut n) = (x, x, 0.0);
        while term.abs() > 1e-17 {
            n += 1.0;
            term *= -x * x / n;
            sum += term / (2.0 * n + 1.0);
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn exp_and_erf_agree_with_the_reference() {
        for i in -8000..=2000 {
            let x = i as f32 * 0.01;
            let want = f64::from(x).exp();
            let got = f64::from(exp(x));
            assert!((got - want).abs() <= 3e-7 * want, "exp({x}) = {got}, want {want}");
        }
        for i in -600..=600 {
            let x = i as f32 * 0.01;
            let (x64, got) = (f64::from(x), f64::from(erf(x)));
            if x64.abs() <= 3.0 {
                assert!(
                    (got - erf_reference(x64)).abs() < 5e-7,
                    "erf({x}) = {got}, want {}",
                    erf_reference(x64)
                );
            } else {
                // 1 − |erf x| = erfc |x| < e^(−x²) / (|x| √π)
                let erfc_bound = (-x64 * x64).exp() / (x64.abs() * std::f64::consts::PI.sqrt());
                assert!((got - x64.signum()).abs() < erfc_bound + 5e-7, "erf({x})");
            }
        }
        assert_eq!(exp(-200.0), 0.0);
        assert_eq!(exp(f32::MIN), 0.0);
    }

    #[test]
    fn kernels_match_the_scalar_forms_through_candle() {
        let values: Vec<f32> = (0..4 * 37).map(|i| ((i * 7919) % 211) as f32 / 17.0 - 6.0).collect();
        let xs = Tensor::from_vec(values.clone(), (4, 37), &candle_core::Device::Cpu).unwrap();
        let ours = gelu(&xs).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
        let libm = xs.gelu_erf().unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
        for (a, b) in ours.iter().zip(&libm) {
            assert!((a - b).abs() < 1e-6, "gelu {a} vs {b}");
        }
        let ours = softmax_last_dim(&xs).unwrap().to_vec2::<f32>().unwrap();
        let candle = candle_nn::ops::softmax_last_dim(&xs).unwrap().to_vec2::<f32>().unwrap();
        for (a, b) in ours.iter().flatten().zip(candle.iter().flatten()) {
            assert!((a - b).abs() < 1e-6, "softmax {a} vs {b}");
        }
        // A transposed (non-contiguous) input is refused, not misread.
        assert!(gelu(&xs.t().unwrap()).is_err());
    }
}
