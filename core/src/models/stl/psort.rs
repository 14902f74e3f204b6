//! The partial sort R's `stl.f` uses to find the median absolute residual (`psort`, a quicksort with
//! median-of-three pivots that only keeps working on segments holding a wanted position).
//!
//! Why not a plain selection: `stlrwt` asks for the positions `n/2 + 1` and `n/2` (in that,
//! decreasing, order), while the segment bookkeeping assumes increasing positions. For even `n` the
//! value left at position `n/2` is then not always the true order statistic, and R's robustness
//! weights depend on it. Reproducing R's weights means reproducing the same partitioning steps,
//! which this does (1-based positions, as the Fortran).

/// Partially sort `a` so that the positions `wanted` (1-based) hold what R's `psort` leaves there.
pub(crate) fn partial_sort(a: &mut [f64], wanted: &[usize]) {
    let n = a.len();
    let ni = wanted.len();
    if n < 2 || ni == 0 {
        return;
    }
    // 1-based views: a[p] is at a[p - 1], wanted[p] at wanted[p - 1].
    let get = |a: &[f64], p: usize| a[p - 1];
    let want = |p: usize| wanted[p - 1];
    // Segment stack: bounds (seg_lo, seg_hi) and the range of wanted positions inside it.
    // The smaller part is always processed first, so the depth stays below log2(n) + 1 <= 64.
    let mut seg_lo = [0usize; 65];
    let mut seg_hi = [0usize; 65];
    let mut want_lo = [0usize; 65];
    let mut want_hi = [0usize; 65];
    let (mut jl, mut ju) = (1usize, ni);
    want_lo[1] = 1;
    want_hi[1] = ni;
    let (mut i, mut j, mut m) = (1usize, n, 1usize);

    #[derive(Clone, Copy)]
    enum Step {
        Start,
        Pop,
        Check,
        Partition,
        Small,
    }
    let mut step = Step::Start;
    loop {
        match step {
            Step::Start => step = if i < j { Step::Partition } else { Step::Pop },
            Step::Pop => {
                m -= 1;
                if m == 0 {
                    return;
                }
                i = seg_lo[m];
                j = seg_hi[m];
                jl = want_lo[m];
                ju = want_hi[m];
                step = if jl <= ju { Step::Check } else { Step::Pop };
            }
            Step::Check => step = if j > i + 10 { Step::Partition } else { Step::Small },
            Step::Partition => {
                let mut k = i;
                let mid = (i + j) / 2;
                let mut t = get(a, mid);
                if get(a, i) > t {
                    a[mid - 1] = a[i - 1];
                    a[i - 1] = t;
                    t = get(a, mid);
                }
                let mut l = j;
                if get(a, j) < t {
                    a[mid - 1] = a[j - 1];
                    a[j - 1] = t;
                    t = get(a, mid);
                    if get(a, i) > t {
                        a[mid - 1] = a[i - 1];
                        a[i - 1] = t;
                        t = get(a, mid);
                    }
                }
                loop {
                    l -= 1;
                    if get(a, l) <= t {
                        let tt = get(a, l);
                        loop {
                            k += 1;
                            if get(a, k) >= t {
                                break;
                            }
                        }
                        if k > l {
                            break;
                        }
                        a[l - 1] = a[k - 1];
                        a[k - 1] = tt;
                    }
                }
                want_lo[m] = jl;
                want_hi[m] = ju;
                let p = m;
                m += 1;
                step = Step::Check;
                if l - i <= j - k {
                    // Keep the right part for later, continue with the left one.
                    seg_lo[p] = k;
                    seg_hi[p] = j;
                    j = l;
                    loop {
                        if jl > ju {
                            step = Step::Pop;
                            break;
                        }
                        if want(ju) > j {
                            ju -= 1;
                        } else {
                            want_lo[p] = ju + 1;
                            break;
                        }
                    }
                } else {
                    seg_lo[p] = i;
                    seg_hi[p] = l;
                    i = k;
                    loop {
                        if jl > ju {
                            step = Step::Pop;
                            break;
                        }
                        if want(jl) < i {
                            jl += 1;
                        } else {
                            want_hi[p] = jl - 1;
                            break;
                        }
                    }
                }
            }
            Step::Small => {
                if i == 1 {
                    // No sentinel below the segment: partition again instead of inserting.
                    step = Step::Start;
                    continue;
                }
                // Straight insertion; a[i - 1] is a lower bound of the segment (a sentinel).
                for q in i..j {
                    let t = get(a, q + 1);
                    if get(a, q) > t {
                        let mut k = q;
                        loop {
                            a[k] = a[k - 1];
                            k -= 1;
                            if t >= get(a, k) {
                                break;
                            }
                        }
                        a[k] = t;
                    }
                }
                step = Step::Pop;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_order_statistics_for_increasing_positions() {
        let data: Vec<f64> = (0..101).map(|i| ((i * 37) % 101) as f64).collect();
        for wanted in [vec![51], vec![1, 101], vec![10, 50, 90]] {
            let mut a = data.clone();
            partial_sort(&mut a, &wanted);
            for &w in &wanted {
                assert_eq!(a[w - 1], (w - 1) as f64);
            }
        }
        let mut small = [3.0, 1.0, 2.0];
        partial_sort(&mut small, &[2]);
        assert_eq!(small[1], 2.0);
    }
}
