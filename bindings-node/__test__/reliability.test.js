'use strict'
// No input can abort the Node process (issue 15): sizes above the core's limits are coded errors,
// non-finite item fields fail their SKU, batch results cross the boundary at any size, and
// Scheduler.stop can be bounded in time.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')

const y = Float64Array.from({ length: 20 }, (_, t) => t)
const coded = (code, field) => (e) => {
  assert.equal(e.code, code, e.message)
  if (field) assert.match(e.message, new RegExp('`' + field + '`'))
  return true
}

test('a huge horizon is ERR_INVALID_PARAMETER everywhere, not an abort', async () => {
  const fit = new fs.Naive().fit(y)
  for (const h of [100001, 1e9, 4294967295]) {
    assert.throws(() => fit.predict(h), coded('ERR_INVALID_PARAMETER', 'h'))
  }
  assert.equal(fit.predict(100000).mean.length, 100000)
  await assert.rejects(fs.forecastBatch([{ id: 'a', y }], { model: 'naive', h: 1e9 }), coded('ERR_INVALID_PARAMETER', 'h'))
  const items = [{ sku: 'a', unitCost: 1, leadTime: 1, holdingCostRate: 0.01 }]
  await assert.rejects(fs.plan([{ sku: 'a', demand: y }], items, { horizon: 1e9, model: 'naive' }), coded('ERR_INVALID_PARAMETER', 'horizon'))
  assert.throws(() => new fs.HoltWinters({ seasonLength: 2 ** 53 }).fit(y), coded('ERR_INVALID_PARAMETER'))
})

test('forecastBatch([null]) rejects with a code', async () => {
  await assert.rejects(async () => fs.forecastBatch([null], { model: 'naive', h: 2 }), (e) => {
    assert.equal(typeof e.code, 'string')
    assert.match(e.code, /^ERR_/)
    return true
  })
})

test('non-finite item fields fail their SKU by camelCase name and the SKU is not planned', async () => {
  const histories = ['ok', 'nan', 'inf', 'ninf'].map((sku) => ({ sku, demand: y }))
  const items = [
    { sku: 'ok', unitCost: 1, leadTime: 1, onHand: 5, holdingCostRate: 0.01 },
    { sku: 'nan', unitCost: 1, leadTime: 1, onHand: NaN, holdingCostRate: 0.01 },
    { sku: 'inf', unitCost: 1, leadTime: 1, holdingCostRate: Infinity },
    { sku: 'ninf', unitCost: 1, leadTime: -Infinity, holdingCostRate: 0.01 },
  ]
  const out = await fs.plan(histories, items, { horizon: 2, model: 'naive' })
  assert.deepEqual(out.plans.map((p) => p.sku), ['ok'])
  const failures = Object.fromEntries(out.failures.map((f) => [f.sku, f]))
  assert.deepEqual(Object.keys(failures).sort(), ['inf', 'nan', 'ninf'])
  for (const [sku, field] of [['nan', 'onHand'], ['inf', 'holdingCostRate'], ['ninf', 'leadTime']]) {
    assert.equal(failures[sku].code, 'ERR_INVALID_PARAMETER')
    assert.match(failures[sku].message, new RegExp(`series \`${sku}\`.*\`${field}\``))
  }
  assert.equal(out.stats.skus, 4)
  assert.equal(out.stats.failed, 3)
})

test('a 100,000-SKU plan resolves with 100,000 plans (no JSON value cap)', async () => {
  const total = 100000
  const demand = Float64Array.from([3, 4, 5, 4, 3, 4])
  const histories = Array.from({ length: total }, (_, i) => ({ sku: `sku-${i}`, demand }))
  const items = histories.map((h) => ({ sku: h.sku, unitCost: 1, leadTime: 1, holdingCostRate: 0.01 }))
  const out = await fs.plan(histories, items, { horizon: 1, levels: [], model: 'naive' })
  assert.equal(out.failures.length, 0)
  assert.equal(out.plans.length, total)
  assert.equal(out.plans[total - 1].sku, `sku-${total - 1}`)
})

test('a 6,000-series backtestBatch resolves (no JSON value cap)', async () => {
  const series = Array.from({ length: 6000 }, (_, i) => ({ id: `s${i}`, y }))
  const out = await fs.backtestBatch(series, { model: 'naive', h: 2, windows: 3, step: 1 })
  assert.equal(out.length, 6000)
  assert.ok(out.every((entry) => entry.error === undefined))
})

test('Scheduler.stop({ timeoutMs }) resolves false when a job ignores its signal', async () => {
  const s = new fs.Scheduler().addJob('stuck', '0 0 1 1 *', () => new Promise(() => {}))
  s.start()
  s.runNow('stuck').catch(() => {})
  const started = Date.now()
  assert.equal(await s.stop({ timeoutMs: 100 }), false)
  assert.ok(Date.now() - started < 2000)
  const idle = new fs.Scheduler().addJob('quick', '0 0 1 1 *', () => 1)
  assert.equal(await idle.stop({ timeoutMs: 100 }), true)
  await assert.rejects(idle.stop({ timeoutMs: -1 }), coded('ERR_INVALID_PARAMETER'))
})
