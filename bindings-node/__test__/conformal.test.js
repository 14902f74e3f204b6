'use strict'
// Conformal: split-conformal intervals around any model (core forestock::ensemble::Conformal).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { closeNumber, throwsCode } = require('./helpers')

const y = Float64Array.from([12, 15, 11, 18, 14, 16, 13, 19, 17, 15, 20, 16, 18, 21, 17, 22, 19, 23, 18, 24])

test('point forecasts are the base model\'s; the spec names the base', () => {
  for (const base of [new fs.Naive(), new fs.CrostonSBA(), new fs.SeasonalNaive({ seasonLength: 4 })]) {
    const conformal = new fs.Conformal({ base, seasonLength: 1 })
    assert.deepEqual(JSON.parse(conformal.spec).base, JSON.parse(base.spec))
    assert.deepEqual(conformal.forecast(y, 5).mean, base.forecast(y, 5).mean)
  }
  // The base can also be a name or { model, ...settings }, as elsewhere in the API.
  const byName = new fs.Conformal({ base: 'naive' })
  const byObject = new fs.Conformal({ base: { model: 'seasonalNaive', seasonLength: 4 }, windows: 6 })
  assert.deepEqual(JSON.parse(byName.spec), { model: 'conformal', base: { model: 'naive' }, season_length: 1, windows: 12, horizon: 0 })
  assert.deepEqual(JSON.parse(byObject.spec).base, { model: 'seasonal_naive', season_length: 4 })
})

test('intervals equal the split-conformal construction on the base model\'s own backtest', async () => {
  // Core semantics (forestock::ensemble): with season length 1 the calibration uses `windows` origins
  // one period apart, horizon H; s_h = RMS over windows of the step-h errors; the pooled scores
  // |e_{w,h}| / s_{h,-w} sorted, s_{h,-w} the RMS of the other windows' step-h errors (leave-one-out);
  // at level L, q = the ceil((n+1) L/100)-th smallest score; interval mean_h -/+ q s_h
  // (s_H sqrt(h/H) beyond H). The errors come from the package's own backtest.
  const windows = 4
  const H = 2
  const bt = await fs.backtest(y, { model: 'naive', h: H, windows, step: 1 })
  const errors = bt.windows.map((w) => w.errors) // [w][h]
  const scale = [0, 1].map((h) => Math.sqrt(errors.reduce((s, e) => s + e[h] * e[h], 0) / windows))
  const othersScale = (w, h) =>
    Math.sqrt(errors.reduce((s, e, j) => (j === w ? s : s + e[h] * e[h]), 0) / (windows - 1)) || scale[h]
  const scores = errors.flatMap((e, w) => e.map((v, h) => Math.abs(v) / othersScale(w, h))).sort((a, b) => a - b)
  const out = new fs.Conformal({ base: new fs.Naive(), windows, horizon: H }).forecast(y, 3, [50, 80])
  const last = y[y.length - 1]
  assert.deepEqual(Array.from(out.mean), [last, last, last])
  const stepScale = [scale[0], scale[1], scale[1] * Math.sqrt(3 / 2)]
  for (const [i, level] of [50, 80].entries()) {
    const rank = Math.ceil(((scores.length + 1) * level) / 100)
    const q = scores[Math.min(Math.max(rank, 1), scores.length) - 1]
    const iv = out.intervals[i]
    assert.equal(iv.level, level)
    for (let t = 0; t < 3; t++) {
      closeNumber(iv.lower[t], last - q * stepScale[t], 1e-12, `lower ${level} step ${t + 1}`)
      closeNumber(iv.upper[t], last + q * stepScale[t], 1e-12, `upper ${level} step ${t + 1}`)
    }
  }
})

test('fit / predict and forecastBatch agree with the class', async () => {
  const model = new fs.Conformal({ base: new fs.CrostonSBA(), windows: 6 })
  const fit = model.fit(y)
  assert.match(fit.description, /./)
  assert.deepEqual(fit.predict(4, [90]), model.forecast(y, 4, [90]))
  const [entry] = await fs.forecastBatch([{ id: 'a', y }], { model: 'conformal', base: { model: 'croston_sba' }, windows: 6, h: 4, levels: [90] })
  assert.deepEqual(entry.mean, fit.predict(4, [90]).mean)
  assert.deepEqual(entry.intervals, fit.predict(4, [90]).intervals)
})

test('bad input gives coded errors', () => {
  throwsCode(() => new fs.Conformal({}), 'ERR_INVALID_PARAMETER', /base/)
  throwsCode(() => new fs.Conformal({ base: 'noSuchModel' }), 'ERR_INVALID_PARAMETER', /base/)
  throwsCode(() => new fs.Conformal({ base: 42 }), 'ERR_INVALID_PARAMETER', /base/)
  throwsCode(() => new fs.Conformal({ base: new fs.Naive(), windows: -1 }), 'ERR_INVALID_PARAMETER')
  throwsCode(() => new fs.Conformal({ base: new fs.Naive(), seasonLength: 'x' }), 'ERR_INVALID_PARAMETER')
  const model = new fs.Conformal({ base: new fs.Naive() })
  throwsCode(() => model.fit(Float64Array.from([1, NaN, 3, 4, 5, 6, 7, 8])), 'ERR_INVALID_SERIES', /index 1/)
  throwsCode(() => model.fit(new Float64Array(0)), 'ERR_INVALID_SERIES')
  throwsCode(() => model.forecast(y, 0), 'ERR_INVALID_PARAMETER', /`h`/)
  assert.throws(() => new fs.Conformal(), Error)
  assert.throws(() => model.fit('abc'), Error)
})
