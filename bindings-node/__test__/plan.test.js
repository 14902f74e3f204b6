'use strict'
// plan() and backtest(): Promises over forestock::plan::run_plan and forestock::backtest.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { publicSeries, closeNumber } = require('./helpers')

const seasonal = Float64Array.from({ length: 104 }, (_, t) => 100 + 30 * Math.sin((2 * Math.PI * t) / 52) + ((t * 7) % 5))
const intermittent = Float64Array.from({ length: 104 }, (_, t) => (t % 9 === 4 ? 3 + (t % 4) : 0))
const items = [
  { sku: 'seasonal', unitCost: 10, leadTime: 2, leadTimeSd: 0.5, onHand: 150, orderingCost: 20, holdingCostRate: 0.004 },
  { sku: 'sporadic', unitCost: 4, leadTime: 3, onHand: 0, lotSize: 5, holdingCostRate: 0.004 },
  { sku: 'broken', unitCost: 1, leadTime: 1, holdingCostRate: 0.004 },
  { sku: 'no-history', unitCost: 1, leadTime: 1, holdingCostRate: 0.004 },
]
const histories = [
  { sku: 'seasonal', demand: seasonal },
  { sku: 'sporadic', demand: Array.from(intermittent) },
  { sku: 'broken', demand: Float64Array.from([1, 2, NaN, 4]) },
]

test('plan resolves per-SKU plans, isolates failures and is deterministic', async () => {
  const pending = fs.plan(histories, items, { horizon: 4, levels: [90], model: { model: 'autoModel', seasonLength: 52 } })
  assert.ok(pending instanceof Promise)
  const out = await pending
  assert.deepEqual(out.plans.map((p) => p.sku).sort(), ['seasonal', 'sporadic'])
  assert.deepEqual(out.failures.map((f) => f.sku).sort(), ['broken', 'no-history'])
  assert.equal(out.failures.find((f) => f.sku === 'broken').code, 'ERR_INVALID_SERIES')
  assert.equal(out.failures.find((f) => f.sku === 'no-history').code, 'ERR_MISSING_DATA')
  assert.equal(out.stats.skus, 4)
  assert.equal(out.stats.planned, 2)
  const sporadic = out.plans.find((p) => p.sku === 'sporadic')
  assert.equal(sporadic.recommendation.shouldReorder, true, 'nothing on hand')
  assert.equal(sporadic.recommendation.orderQuantity % 5, 0)
  assert.equal(sporadic.forecast.mean.length >= 4, true)
  assert.ok(['A', 'B', 'C'].includes(sporadic.abcClass))
  assert.deepEqual(await fs.plan(histories, items, { horizon: 4, levels: [90], model: { model: 'autoModel', seasonLength: 52 } }), out)
})

test('plan forecasts with the configured model', async () => {
  const out = await fs.plan([histories[0]], [items[0]], { horizon: 3, model: 'naive' })
  const naive = new fs.Naive().forecast(seasonal, 3)
  assert.deepEqual(out.plans[0].forecast.mean.slice(0, 3), Array.from(naive.mean))
})

test('plan rejects invalid options with a coded error', async () => {
  await assert.rejects(fs.plan(histories, items, { horizon: 0 }), (e) => e.code === 'ERR_INVALID_PARAMETER')
  await assert.rejects(fs.plan(histories, items, { model: 'noSuchModel' }), (e) => e.code === 'ERR_INVALID_PARAMETER')
  await assert.rejects(fs.plan(histories, items, { serviceLevels: { a: 1.2, b: 0.9, c: 0.8 } }), (e) => e.code === 'ERR_INVALID_PARAMETER')
})

test('backtest forecasts from rolling origins and scores each window', async () => {
  const y = Float64Array.from(publicSeries('datasets.USAccDeaths'))
  const out = await fs.backtest(y, { model: 'seasonalNaive', seasonLength: 12, h: 6, windows: 3, step: 2, levels: [80] })
  assert.equal(out.windows.length, 3)
  for (const w of out.windows) {
    assert.equal(w.forecast.mean.length, 6)
    assert.deepEqual(w.actual, Array.from(y.slice(w.origin, w.origin + 6)))
    assert.deepEqual(w.forecast.mean, Array.from(y.slice(w.origin - 12, w.origin - 6)), 'seasonal naive repeats last season')
    closeNumber(w.metrics.mae, fs.mae(w.actual, w.forecast.mean), 1e-12, 'window mae')
    closeNumber(w.metrics.mase, fs.mase(w.actual, w.forecast.mean, y.slice(0, w.origin), 12), 1e-12, 'window mase')
  }
  assert.deepEqual(out.windows.map((w) => w.origin), [y.length - 10, y.length - 8, y.length - 6])
  assert.equal(out.coverage[0].level, 80)
  await assert.rejects(fs.backtest(y, { model: 'naive', h: 6, windows: 100, step: 1 }), (e) => e.code === 'ERR_INVALID_PARAMETER' || e.code === 'ERR_INVALID_SERIES')
  await assert.rejects(fs.backtest(y, { model: 'naive', h: 0, windows: 1, step: 1 }), (e) => e.code === 'ERR_INVALID_PARAMETER')
})

test('classifyCatalogue: the plan\'s ABC step alone, with per-SKU overrides (core classify_catalogue)', async () => {
  const out = await fs.plan(histories, items, { horizon: 2, model: 'naive' })
  const catalogue = items.map(({ sku, unitCost }) => ({ sku, unitCost }))
  const classified = fs.classifyCatalogue(histories, catalogue)
  for (const p of out.plans) {
    const c = classified.classes.find((k) => k.sku === p.sku)
    assert.deepEqual([c.abcClass, c.usageRank, c.serviceLevel], [p.abcClass, p.usageRank, p.serviceLevel], p.sku)
  }
  assert.deepEqual(classified.failures.map((f) => [f.sku, f.code]).sort(), [['broken', 'ERR_INVALID_SERIES'], ['no-history', 'ERR_MISSING_DATA']])
  const override = fs.classifyCatalogue(histories, catalogue.map((i) => ({ ...i, serviceLevel: 0.93 })), { periodsPerYear: 12 })
  assert.deepEqual(override.classes.map((c) => c.serviceLevel), [0.93, 0.93])
  assert.throws(() => fs.classifyCatalogue(histories, catalogue, { periodsPerYear: 0 }), (e) => e.code === 'ERR_INVALID_PARAMETER')
})
