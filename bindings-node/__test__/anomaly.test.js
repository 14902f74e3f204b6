'use strict'
// detectAnomalies through the binding: flags, reasons, replacements and typed errors.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { close, fixture, publicSeries, throwsCode } = require('./helpers')

function seasonalSeries(n = 96) {
  return Float64Array.from({ length: n }, (_, t) => 100 + 0.5 * t + 20 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7919) % 13) * 0.3)
}

test('detectAnomalies flags a spike and a dip with scores, reasons and replacements', () => {
  const y = seasonalSeries()
  y[30] += 40
  y[61] -= 40
  const out = fs.detectAnomalies(y, { seasonLength: 12 })
  assert.ok(out.index instanceof Uint32Array)
  assert.deepEqual(Array.from(out.index), [30, 61])
  assert.deepEqual(out.kind, ['spike', 'dip'])
  assert.ok(out.score[0] >= 4 && out.score[1] <= -4)
  assert.match(out.reason[0], /^spike: \d+\.\d robust SD above the expected/)
  assert.ok(Math.abs(out.replacement[0] - (y[30] - 40)) < 5)
  assert.deepEqual(Array.from(out.value), [y[30], y[61]])
  assert.equal(out.regime, 'regular')
  assert.equal(out.seasonallyAdjusted, true)
})

test('detectAnomalies keeps the ordinary non-zero periods of intermittent demand', () => {
  const y = Array.from({ length: 80 }, (_, t) => (t % 3 === 0 ? 2 + (t % 4) : 0))
  const clean = fs.detectAnomalies(y) // plain arrays and no options are accepted
  assert.equal(clean.index.length, 0)
  assert.equal(clean.regime, 'intermittent')
  y[40] = 60
  assert.deepEqual(Array.from(fs.detectAnomalies(y, {}).index), [40])
})

test('detectAnomalies rejects bad input with stable codes', () => {
  throwsCode(() => fs.detectAnomalies(Float64Array.from([1, NaN, 3])), 'ERR_INVALID_SERIES', /index 1/)
  throwsCode(() => fs.detectAnomalies(seasonalSeries(), { seasonLength: 0 }), 'ERR_INVALID_PARAMETER', /season_length/)
  throwsCode(() => fs.detectAnomalies(seasonalSeries(), { seasonLength: 'x' }), 'ERR_INVALID_PARAMETER')
})

test('tsoutliers and naInterp match R forecast 8.20 on a seasonal series (AirPassengers, training part)', () => {
  const r = fixture('reference', 'r_outliers_public.json').series['datasets.AirPassengers']
  const y = Float64Array.from(publicSeries('datasets.AirPassengers').slice(0, -18))
  const out = fs.tsoutliers(y, { seasonLength: 12 })
  assert.ok(out.index instanceof Uint32Array)
  assert.deepEqual(Array.from(out.index), r.index.map((i) => i - 1))
  close(Array.from(out.replacements), r.replacements, 1e-6, 'replacements')
  const holed = Float64Array.from(y)
  for (const i of r.na_index) holed[i - 1] = NaN
  const filled = fs.naInterp(holed, { seasonLength: 12 })
  close(r.na_index.map((i) => filled[i - 1]), r.na_interp, 1e-6, 'na.interp')
  throwsCode(() => fs.naInterp(Float64Array.from([NaN, 1])), 'ERR_INVALID_SERIES')
})

test('plan cleans spikes before fitting when asked, and reports them per SKU', async () => {
  const base = Array.from({ length: 104 }, (_, t) => 50 + ((t * 7) % 5) + 10 * Math.sin((2 * Math.PI * t) / 52))
  const spiky = base.slice()
  spiky[98] = 400
  const histories = [{ sku: 'A', demand: spiky }, { sku: 'B', demand: base }]
  const items = [{ sku: 'A', unitCost: 2, leadTime: 2 }, { sku: 'B', unitCost: 2, leadTime: 2 }]
  const raw = await fs.plan(histories, items)
  assert.equal(raw.plans[0].anomalies, undefined)
  const cleaned = await fs.plan(histories, items, { cleanAnomalies: 'replace' })
  const flags = cleaned.plans[0].anomalies
  assert.deepEqual(flags.map((a) => a.index), [98])
  assert.equal(flags[0].kind, 'spike')
  assert.match(flags[0].reason, /^spike/)
  assert.equal(cleaned.plans[1].anomalies, undefined)
  assert.equal(cleaned.stats.anomaliesFlagged, 1)
  const a = (out) => out.plans[0].recommendation
  assert.ok(a(cleaned).orderUpTo < a(raw).orderUpTo, `${a(cleaned).orderUpTo} vs ${a(raw).orderUpTo}`)
  const leftOut = await fs.plan(histories, items, { cleanAnomalies: 'leaveOut' })
  assert.deepEqual(leftOut.plans[0].anomalies.map((a) => a.index), [98])
  await assert.rejects(fs.plan(histories, items, { cleanAnomaly: 'replace' }), /cleanAnomalies/)
})
