'use strict'
// Ensemble members and weighting schemes (core forestock::ensemble::Ensemble settings).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { closeNumber, throwsCode } = require('./helpers')

const y = Float64Array.from({ length: 40 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 4) + (t % 3))

test('equal weights: the mean is the average of the members\' forecasts', () => {
  const members = [new fs.Naive(), new fs.SeasonalNaive({ seasonLength: 4 })]
  const ensemble = new fs.Ensemble({ seasonLength: 4, members, scheme: { scheme: 'equal' } })
  const spec = JSON.parse(ensemble.spec)
  assert.deepEqual(spec.members, [{ model: 'naive' }, { model: 'seasonal_naive', season_length: 4 }])
  assert.deepEqual(spec.scheme, { scheme: 'equal' })
  const mean = ensemble.forecast(y, 6).mean
  const [a, b] = members.map((m) => m.forecast(y, 6).mean)
  for (let t = 0; t < 6; t++) closeNumber(mean[t], (a[t] + b[t]) / 2, 1e-12, `step ${t + 1}`)
})

test('schemes and members accept camelCase names, names and { model, ...settings }', () => {
  const inverse = new fs.Ensemble({ seasonLength: 4, members: ['naive', { model: 'seasonalNaive', seasonLength: 4 }], scheme: { scheme: 'inverseError', metric: 'mase', floor: 0.05 } })
  assert.deepEqual(JSON.parse(inverse.spec).scheme, { scheme: 'inverse_error', metric: 'mase', floor: 0.05 })
  const optimized = new fs.Ensemble({ seasonLength: 4, scheme: { scheme: 'optimized', shrinkage: 0.5 }, windows: 6, horizon: 4, memberIntervalFloor: false })
  const spec = JSON.parse(optimized.spec)
  assert.equal(spec.member_interval_floor, false)
  assert.equal(spec.horizon, 4)
  const fc = optimized.forecast(y, 4, [80])
  assert.ok(fc.intervals[0].lower.every((lo, t) => lo <= fc.mean[t]))
})

test('bad members and schemes give coded errors', () => {
  throwsCode(() => new fs.Ensemble({ seasonLength: 4, scheme: { scheme: 'best' } }), 'ERR_INVALID_PARAMETER', /best/)
  throwsCode(() => new fs.Ensemble({ seasonLength: 4, members: [1] }), 'ERR_INVALID_PARAMETER', /members\[0\]/)
  throwsCode(() => new fs.Ensemble({ seasonLength: 4, members: 'naive' }), 'ERR_INVALID_PARAMETER', /members/)
  throwsCode(() => new fs.Ensemble({}), 'ERR_INVALID_PARAMETER', /seasonLength/)
  throwsCode(() => new fs.Ensemble({ seasonLength: 4, members: [] }).fit(Float64Array.from([1, NaN, 3, 4, 5, 6])), 'ERR_INVALID_SERIES')
})

test('refit per window is an option; by default members are estimated once and re-filtered', () => {
  const once = new fs.Ensemble({ seasonLength: 4 })
  const refit = new fs.Ensemble({ seasonLength: 4, refit: true })
  assert.equal(JSON.parse(once.spec).refit, false)
  assert.equal(JSON.parse(refit.spec).refit, true)
  const [a, b] = [once, refit].map((e) => e.forecast(y, 4, [95]))
  for (const fc of [a, b]) assert.ok(fc.mean.every((m, t) => fc.intervals[0].lower[t] <= m && m <= fc.intervals[0].upper[t]))
  throwsCode(() => new fs.Ensemble({ seasonLength: 4, refit: 'yes' }), 'ERR_INVALID_PARAMETER')
})
