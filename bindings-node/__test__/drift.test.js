'use strict'
// pageHinkley, cusum and retrainDecision (forestock::drift); p-values checked against scipy.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { fixture, closeNumber, throwsCode } = require('./helpers')

const scipy = fixture('scipy', 'drift.json')
const sample = (name) => scipy.samples[name]

test('Page-Hinkley paths and alarm by hand', () => {
  // e = 0,0,0,5,5,5, delta 0.1: running means 0,0,0,1.25,2,2.5; U_t = sum(e - mean - delta).
  const run = fs.pageHinkley([0, 0, 0, 5, 5, 5], { delta: 0.1, threshold: 3 })
  assert.ok(run.up instanceof Float64Array)
  const expectedUp = [0, 0, 0, 3.65, 6.55, 8.95]
  expectedUp.forEach((v, i) => closeNumber(run.up[i], v, 1e-12, `up[${i}]`))
  assert.deepEqual(Array.from(run.down), [0, 0, 0, 0, 0, 0])
  assert.deepEqual(run.alarm, { index: 3, direction: 'up' })
  assert.equal(run.threshold, 3)
  const quiet = fs.pageHinkley(Float64Array.from([1, -1, 1, -1]), { delta: 0.5, threshold: 10 })
  assert.equal(quiet.alarm, undefined)
  const down = fs.pageHinkley([0, 0, 0, -5, -5, -5], { delta: 0.1, threshold: 3 })
  assert.deepEqual(down.alarm, { index: 3, direction: 'down' })
})

test('CUSUM paths and alarm by hand', () => {
  // z = e, k = 0.5: S+ = max(0, S+ + z - 0.5) = 0,0,0,4.5,9,13.5; alarm when S+ > h = 5.
  const run = fs.cusum([0, 0, 0, 5, 5, 5], { target: 0, sigma: 1 })
  assert.deepEqual(Array.from(run.up), [0, 0, 0, 4.5, 9, 13.5])
  assert.deepEqual(run.alarm, { index: 4, direction: 'up' })
  assert.equal(run.threshold, 5)
  // target 1, sigma 2, k 0, h 1: z = (e - 1) / 2 = -0.5, -1, -1.5 -> S- = 0.5, 1.5, 3.
  const custom = fs.cusum([0, -1, -2], { target: 1, sigma: 2, k: 0, h: 1 })
  assert.deepEqual(Array.from(custom.down), [0.5, 1.5, 3])
  assert.deepEqual(custom.alarm, { index: 1, direction: 'down' })
})

test('detectors reject bad input with coded errors', () => {
  throwsCode(() => fs.pageHinkley([1, NaN, 2], { delta: 0.1, threshold: 3 }), 'ERR_INVALID_SERIES', /index 1/)
  throwsCode(() => fs.pageHinkley([], { delta: 0.1, threshold: 3 }), 'ERR_INVALID_SERIES')
  throwsCode(() => fs.pageHinkley([1, 2], { delta: -1, threshold: 3 }), 'ERR_INVALID_PARAMETER', /`delta`/)
  throwsCode(() => fs.pageHinkley([1, 2], { delta: 0, threshold: 0 }), 'ERR_INVALID_PARAMETER', /`threshold`/)
  throwsCode(() => fs.cusum([1, 2], { target: 0, sigma: 0 }), 'ERR_INVALID_PARAMETER', /`sigma`/)
  throwsCode(() => fs.cusum([1, Infinity], { target: 0, sigma: 1 }), 'ERR_INVALID_SERIES', /index 1/)
  assert.throws(() => fs.cusum([1, 2], { sigma: 1 }), Error)
  assert.throws(() => fs.pageHinkley('abc', { delta: 0, threshold: 1 }), Error)
})

const everything = { maxMape: null, maxModelAgeDays: null, driftAlpha: 0.99999 }

test('retrainDecision drift p-values equal scipy (Welch one-sided on |errors|)', () => {
  // Non-negative samples: |e| = e, so the test is scipy ttest_ind(recent, baseline, equal_var=False,
  // alternative='greater').
  for (const name of ['small_5_5', 'poisson_ties_60_45']) {
    const c = scipy.welch.find((w) => w.name === name)
    const d = fs.retrainDecision({ recentErrors: sample(c.a), baselineErrors: Float64Array.from(sample(c.b)), policy: everything })
    assert.equal(d.retrain, true, name)
    assert.equal(d.reasons.length, 1)
    const [r] = d.reasons
    assert.equal(r.reason, 'error_drift')
    assert.equal(r.test, 'welch_recent_worse')
    closeNumber(r.pValue, c.pvalue_greater, 1e-9, `${name} p`)
    closeNumber(r.statistic, c.statistic, 1e-12, `${name} t`)
    assert.equal(r.alpha, 0.99999)
  }
})

test('retrainDecision drift p-values equal scipy (two-sample KS on signed errors)', () => {
  for (const name of ['equal_5_5_shift', 'unequal_7_11', 'disjoint_6_9', 'n100_150', 'asymp_10001_60_shift']) {
    const c = scipy.ks.find((k) => k.name === name)
    const d = fs.retrainDecision({
      recentErrors: sample(c.a),
      baselineErrors: sample(c.b),
      policy: { ...everything, driftTest: 'kolmogorovSmirnov' },
    })
    const [r] = d.reasons
    assert.equal(r.test, 'kolmogorov_smirnov', name)
    closeNumber(r.pValue, c.pvalue, 1e-9, `${name} p`)
    closeNumber(r.statistic, c.statistic, 1e-12, `${name} D`)
  }
  // 'both' runs the two tests on the same windows.
  const w = scipy.welch.find((x) => x.name === 'small_5_5')
  const both = fs.retrainDecision({ recentErrors: sample(w.a), baselineErrors: sample(w.b), policy: { ...everything, driftTest: 'both' } })
  assert.deepEqual(both.reasons.map((r) => r.test), ['welch_recent_worse', 'kolmogorov_smirnov'])
})

test('retrainDecision thresholds, age, skipped checks and defaults', () => {
  const calm = [1, -1, 0.5, -0.5, 1, -1]
  const d = fs.retrainDecision({ baselineErrors: calm, recentErrors: calm, recentMape: 42, recentMase: 1.4, modelAgeDays: 10 })
  assert.equal(d.retrain, true)
  assert.deepEqual(d.reasons, [
    { reason: 'mape_above_threshold', mape: 42, threshold: 30 },
    { reason: 'model_too_old', ageDays: 10, maxAgeDays: 7 },
  ])
  assert.deepEqual(d.skipped, []) // always present, as in Python (the core's serialisation)
  const mase = fs.retrainDecision({ baselineErrors: calm, recentErrors: calm, recentMase: 1.4, policy: { maxMase: 1.2 } })
  assert.deepEqual(mase.reasons, [{ reason: 'mase_above_threshold', mase: 1.4, threshold: 1.2 }])
  const off = fs.retrainDecision({ baselineErrors: calm, recentErrors: calm, recentMape: 42, modelAgeDays: 10, policy: { maxMape: null, maxModelAgeDays: null } })
  assert.deepEqual(off, { retrain: false, reasons: [], skipped: [] })
  const short = fs.retrainDecision({ baselineErrors: [1, 2], recentErrors: [] })
  assert.equal(short.retrain, false)
  assert.deepEqual(short.skipped, [{ check: 'drift_insufficient_data', baseline: 2, recent: 0, min: 5 }])
})

test('retrainDecision bad input gives coded errors naming the field', () => {
  const ok = [1, 2, 3, 4, 5]
  throwsCode(() => fs.retrainDecision({ recentErrors: ok }), 'ERR_INVALID_PARAMETER', /baselineErrors/)
  throwsCode(() => fs.retrainDecision({ baselineErrors: 'x', recentErrors: ok }), 'ERR_INVALID_PARAMETER', /baselineErrors/)
  throwsCode(() => fs.retrainDecision({ baselineErrors: [1, NaN, 3], recentErrors: ok }), 'ERR_INVALID_SERIES', /baseline_errors.*index 1/)
  throwsCode(() => fs.retrainDecision({ baselineErrors: ok, recentErrors: ok, recentMape: -1 }), 'ERR_INVALID_PARAMETER', /mape/)
  throwsCode(() => fs.retrainDecision({ baselineErrors: ok, recentErrors: ok, recentMape: 'high' }), 'ERR_INVALID_PARAMETER', /recentMape/)
  throwsCode(() => fs.retrainDecision({ baselineErrors: ok, recentErrors: ok, modelAgeDays: -2 }), 'ERR_INVALID_PARAMETER', /modelAgeDays/)
  throwsCode(() => fs.retrainDecision({ baselineErrors: ok, recentErrors: ok, policy: { driftAlpha: 1.5 } }), 'ERR_INVALID_PARAMETER', /drift_alpha/)
  throwsCode(() => fs.retrainDecision({ baselineErrors: ok, recentErrors: ok, policy: { driftTest: 'sometimes' } }), 'ERR_INVALID_PARAMETER', /policy/)
  throwsCode(() => fs.retrainDecision({ baselineErrors: ok, recentErrors: ok, recentMAPE: 3 }), 'ERR_INVALID_PARAMETER', /recentMAPE/)
  assert.throws(() => fs.retrainDecision(), Error)
  assert.throws(() => fs.retrainDecision(42), Error)
})
