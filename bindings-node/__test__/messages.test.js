'use strict'
// Messages that speak the caller's language: options named in camelCase, a fill-rate target named
// as the serviceLevel the caller passed, a partial serviceLevels mapping, no serde positions.
const test = require('node:test')
const assert = require('node:assert/strict')
const forestock = require('..')

function catalogue(n = 12) {
  const histories = []
  const items = []
  for (let i = 0; i < n; i++) {
    const sku = `S${String(i).padStart(2, '0')}`
    const demand = Float64Array.from({ length: 60 }, (_, t) => Math.round((5 + 10 * i) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 12)) + ((t * 7 + i) % 5)))
    histories.push({ sku, demand })
    items.push({ sku, unitCost: 10, leadTime: 2 })
  }
  return { histories, items }
}

function throwsMessage(fn, pattern) {
  assert.throws(fn, (e) => {
    assert.equal(e.code, 'ERR_INVALID_PARAMETER')
    assert.match(e.message, pattern)
    assert.doesNotMatch(e.message, /line 1 column/)
    return true
  })
}

test('inventory errors name the options as the caller spells them', () => {
  throwsMessage(() => forestock.eoq({ orderingCost: 0, holdingCost: 1, demandRate: 100 }), /`orderingCost` = 0/)
  const base = { demandMean: 10, demandSd: 3, leadTime: 2 }
  throwsMessage(() => forestock.safetyStock({ ...base, serviceLevel: 1.2, method: 'fillRate', orderQuantity: 10 }), /`serviceLevel` = 1.2: .*\(a fill rate\)/)
  throwsMessage(() => forestock.reorderPoint({ ...base, serviceLevel: 0.9, leadTimeSd: -1 }), /`leadTimeSd`/)
})

test('serviceLevels accepts a partial mapping', async () => {
  const { histories, items } = catalogue()
  const out = await forestock.plan(histories, items, { serviceLevels: { a: 0.98 } })
  const byClass = Object.fromEntries(out.plans.map((p) => [p.abcClass, p.serviceLevel]))
  assert.deepEqual(byClass, { A: 0.98, B: 0.95, C: 0.9 })
})

test('bad plan options never quote serde positions', async () => {
  const { histories, items } = catalogue(3)
  for (const options of [{ serviceLevels: { a: 'high' } }, { abc: { a: 'x' } }, { sizing: 'eoqq' }, { horizon: -1 }, { periodsPerYear: 'weekly' }]) {
    await assert.rejects(forestock.plan(histories, items, options), (e) => {
      assert.equal(e.code, 'ERR_INVALID_PARAMETER', JSON.stringify(options))
      assert.doesNotMatch(e.message, /line 1 column/)
      return true
    })
  }
})
