'use strict'
// STL and MSTL decompositions from Node against R's figures (stats::stl, forecast::mstl), their
// typed errors, and the `unusedPeriods` a model reports for the periods it cannot use.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const fsys = require('node:fs')
const fs = require('..')
const { FIXTURES, fixture, throwsCode } = require('./helpers')

function trainSeries(folder) {
  const meta = {}
  for (const line of fsys.readFileSync(path.join(FIXTURES, folder, 'meta.csv'), 'utf8').trim().split('\n').slice(1)) {
    const f = line.split(',')
    meta[f[0]] = { horizon: Number(folder === 'public' ? f[2] : f[3]), seasons: folder === 'public' ? [Number(f[1])] : f[2].split(';').map(Number) }
  }
  const rows = {}
  for (const line of fsys.readFileSync(path.join(FIXTURES, folder, 'series.csv'), 'utf8').trim().split('\n').slice(1)) {
    const [id, ds, y] = line.split(',')
    ;(rows[id] ??= []).push([Number(ds), Number(y)])
  }
  const out = {}
  for (const [id, r] of Object.entries(rows)) {
    const y = r.sort((a, b) => a[0] - b[0]).map((x) => x[1])
    out[id] = { y: Float64Array.from(y.slice(0, y.length - meta[id].horizon)), seasons: meta[id].seasons }
  }
  return out
}

/** Largest error: absolute below 1, relative above (as the Rust parity tests). */
function maxError(ours, r) {
  assert.equal(ours.length, r.length)
  let worst = 0
  for (let i = 0; i < r.length; i++) worst = Math.max(worst, Math.abs(ours[i] - r[i]) / Math.max(Math.abs(r[i]), 1))
  return worst
}

const reference = fixture('reference', 'r_decomposition_theta_public.json')

test('STL matches R on every public entry', () => {
  assert.equal(reference.stl.length, 84)
  const series = trainSeries('public')
  let worst = 0
  for (const e of reference.stl) {
    const stl = new fs.STL({ seasonLength: e.period, seasonalWindow: e.s_window, robust: e.robust })
    const d = stl.decompose(series[e.unique_id].y)
    assert.ok(d.trend instanceof Float64Array && d.seasonal instanceof Float64Array)
    assert.deepEqual([d.params.sWindow, d.params.tWindow, d.params.lWindow], [e.params['s.window'], e.params['t.window'], e.params['l.window']])
    const err = Math.max(maxError(d.trend, e.trend), maxError(d.seasonal, e.seasonal), maxError(d.remainder, e.remainder), maxError(d.weights, e.weights))
    assert.ok(err < 1e-8, `${e.unique_id} ${e.period} ${e.s_window} ${e.robust}: ${err}`)
    worst = Math.max(worst, err)
  }
  assert.ok(worst < 1e-8)
})

test('MSTL#decompose matches R components and reports dropped periods', () => {
  const series = trainSeries('public_long')
  for (const [id, s] of Object.entries(series)) {
    const d = new fs.MSTL({ seasonLength: s.seasons }).decompose(s.y)
    const c = reference.mstl[id].components
    assert.ok(maxError(d.trend, c.Trend) < 1e-10, id)
    assert.ok(maxError(d.remainder, c.Remainder) < 1e-10, id)
    const rPeriods = Object.keys(c).filter((k) => k.startsWith('Seasonal')).map((k) => Number(k.slice(8))).sort((a, b) => a - b)
    assert.deepEqual(d.periods, rPeriods, id)
    for (const p of d.periods) assert.ok(maxError(d.seasonal[p], c[`Seasonal${p}`]) < 1e-10, `${id} ${p}`)
  }
  const y = Float64Array.from({ length: 400 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 7) + 0.01 * t)
  const d = new fs.MSTL({ seasonLength: [7, 365] }).decompose(y)
  assert.deepEqual(d.periods, [7])
  assert.equal(d.dropped.length, 1)
  assert.equal(d.dropped[0].period, 365)
  assert.match(d.dropped[0].reason, /two full periods/)
  assert.equal(d.lambda, undefined)
})

test('bad decomposition input is a typed error naming the option', () => {
  const y = Float64Array.from({ length: 20 }, (_, i) => i)
  const cases = [
    [() => new fs.STL({ seasonLength: 4 }).decompose([1, NaN, 3, 4, 5, 6, 7, 8]), 'ERR_INVALID_SERIES'],
    [() => new fs.STL({ seasonLength: 12 }).decompose(y), 'ERR_INVALID_SERIES'],
    [() => new fs.STL({ seasonLength: 4 }).decompose([]), 'ERR_INVALID_SERIES'],
    [() => new fs.STL({ seasonLength: 1 }).decompose(y), 'ERR_INVALID_PARAMETER', /seasonLength/],
    [() => new fs.STL({ seasonLength: -4 }), 'ERR_INVALID_PARAMETER', /seasonLength/],
    [() => new fs.STL({ seasonLength: 2.5 }), 'ERR_INVALID_PARAMETER', /seasonLength/],
    [() => new fs.STL({ seasonLength: 1e300 }), 'ERR_INVALID_PARAMETER', /seasonLength/],
    [() => new fs.STL({ seasonLength: 2 ** 60 }).decompose(y), 'ERR_INVALID_PARAMETER', /seasonLength/],
    [() => new fs.STL({}), 'ERR_INVALID_PARAMETER', /seasonLength/],
    [() => new fs.STL({ seasonLength: 4, seasonalWindow: 'weekly' }), 'ERR_INVALID_PARAMETER', /seasonalWindow/],
    [() => new fs.STL({ seasonLength: 4, seasonalWindow: 0 }).decompose(y), 'ERR_INVALID_PARAMETER', /seasonalWindow/],
    [() => new fs.STL({ seasonLength: 4, seasonalWindow: -3 }), 'ERR_INVALID_PARAMETER', /seasonalWindow/],
    [() => new fs.STL({ seasonLength: 4, seasonalWindow: 7, seasonalDegree: 2 }).decompose(y), 'ERR_INVALID_PARAMETER', /seasonalDegree/],
    [() => new fs.STL({ seasonLength: 4, inner: 1e12 }).decompose(y), 'ERR_INVALID_PARAMETER', /inner/],
    [() => new fs.STL({ seasonLength: 4, bogus: 1 }), 'ERR_INVALID_PARAMETER', /bogus/],
    [() => new fs.STL({ seasonLength: 4, robust: 'yes' }), 'ERR_INVALID_PARAMETER'],
    [() => new fs.MSTL({ seasonLength: [7, 0] }).decompose(y), 'ERR_INVALID_PARAMETER', /seasonLength/],
    [() => new fs.MSTL({ seasonLength: [7, 1e6] }).decompose(y), 'ERR_INVALID_PARAMETER', /seasonLength/],
    [() => new fs.MSTL({ seasonLength: 7 }).decompose([1, NaN, 3]), 'ERR_INVALID_SERIES'],
  ]
  for (const [fn, code, pattern] of cases) throwsCode(fn, code, pattern)
})

function weekly(n, seed = 1) {
  let s = seed
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5
  return Float64Array.from({ length: n }, (_, t) => Math.max(1, Math.round(100 * (1 + 0.4 * Math.sin((2 * Math.PI * t) / 52)) + 16 * rand())))
}

test('a model that cannot use a period says so in unusedPeriods', async () => {
  const fit = new fs.AutoETS({ seasonLength: 52 }).fit(weekly(120))
  assert.equal(fit.unusedPeriods.length, 1)
  assert.equal(fit.unusedPeriods[0].period, 52)
  assert.match(fit.unusedPeriods[0].reason, /beyond ETS/)
  const fc = fit.predict(4, [95])
  assert.deepEqual(fc.unusedPeriods.map((u) => u.period), [52])
  assert.deepEqual(new fs.AutoETS({ seasonLength: 4 }).fit(weekly(120)).unusedPeriods, [])
  assert.deepEqual(new fs.AutoModel({ seasonLength: 52 }).forecast(weekly(80), 4).unusedPeriods.map((u) => u.period), [52])
  const intermittent = Float64Array.from({ length: 96 }, (_, t) => ([2, 6, 11].includes(t % 12) ? 5 : 0))
  assert.match(new fs.AutoModel({ seasonLength: 12 }).fit(intermittent).unusedPeriods[0].reason, /no season/)

  const batch = await fs.forecastBatch(
    [{ id: 'long', y: weekly(160) }, { id: 'short', y: weekly(60) }],
    { model: 'autoModel', seasonLength: 52, h: 4 },
  )
  assert.deepEqual(batch[0].unusedPeriods, [])
  assert.deepEqual(batch[1].unusedPeriods.map((u) => u.period), [52])

  const out = await fs.plan(
    [{ sku: 'two-years', demand: weekly(104, 4) }, { sku: 'one-year', demand: weekly(52, 5) }],
    [{ sku: 'two-years', unitCost: 2, leadTime: 2 }, { sku: 'one-year', unitCost: 3, leadTime: 2 }],
    { horizon: 4, model: { model: 'autoModel', seasonLength: 52 } },
  )
  const bySku = Object.fromEntries(out.plans.map((p) => [p.sku, p]))
  assert.deepEqual(bySku['two-years'].unusedPeriods, [])
  assert.equal(bySku['one-year'].unusedPeriods[0].period, 52)
})
