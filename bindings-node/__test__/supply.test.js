'use strict'
// Lead times from receipts and purchase orders per supplier: the core's rules through the binding.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { throwsCode } = require('./helpers')

function receipts() {
  const rows = []
  for (let i = 0; i < 30; i++) {
    rows.push({ sku: 'steady', supplier: 'acme', orderedAt: i, receivedAt: i + 4 + (i % 3), quantity: 10 })
  }
  rows.push({ sku: 'new', supplier: 'acme', orderedAt: '2026-02-01', receivedAt: '2026-02-10', quantity: 5 })
  rows.push({ sku: 'steady', supplier: 'acme', orderedAt: 50, receivedAt: 75, quantity: 10 }) // 5x
  rows.push({ sku: 'steady', supplier: 'acme', orderedAt: 60, receivedAt: 58, quantity: 10 })
  rows.push({ sku: '', supplier: 'acme', orderedAt: 61, receivedAt: 65, quantity: 3 })
  return rows
}

test('leadTimesFromReceipts shrinks, flags and rejects per line', () => {
  const items = [{ sku: 'new', unitCost: 2, leadTime: 9 }, { sku: 'none', unitCost: 2, leadTime: 9 }]
  const r = fs.leadTimesFromReceipts(receipts(), { credibilityK: 3 }, items)
  const supplier = r.suppliers[0]
  assert.equal(supplier.receipts, 31)
  const est = Object.fromEntries(r.estimates.map((e) => [e.sku, e]))
  const moved = (e) => (e.rawMean - e.mean) / (e.rawMean - supplier.mean)
  assert.ok(Math.abs(moved(est.new) - 0.75) < 1e-12, `${moved(est.new)}`)
  assert.ok(Math.abs(moved(est.steady) - 3 / 33) < 1e-12, `${moved(est.steady)}`)
  assert.equal(est.new.rawMean, 9) // 9 days at the default of one day per period
  assert.deepEqual(r.outliers.map((o) => [o.row, o.leadTime]), [[32, 25]])
  assert.deepEqual(r.rejected.map((x) => [x.row, x.field, x.code]), [[33, 'received_at', 'ERR_INVALID_ROW'], [34, 'sku', 'ERR_INVALID_ROW']])
  assert.deepEqual(r.fill.filled, ['new'])
  assert.equal(r.fill.withoutEstimate[0].sku, 'none')
  assert.equal(r.items[0].leadTime, est.new.mean)
  assert.equal(r.items[1].leadTime, 9)
  throwsCode(() => fs.leadTimesFromReceipts(receipts(), { outlierMads: -1 }), 'ERR_INVALID_PARAMETER')
})

test('purchaseOrders tops up the soonest items in packs and reports an unreachable minimum', () => {
  const rec = (orderQuantity, periodsUntilStockout) => ({ orderQuantity, periodsUntilStockout, inventoryPosition: 1, reorderPoint: 9, shouldReorder: orderQuantity > 0 })
  const planResult = {
    plans: [
      { sku: 'due', recommendation: rec(5, 2) },
      { sku: 'later', recommendation: rec(0, 9) },
      { sku: 'soon', recommendation: rec(0, 4) },
      { sku: 'capped', recommendation: rec(5, 1) },
    ],
  }
  const items = [
    { sku: 'due', unitCost: 10, leadTime: 2, supplier: 's' },
    { sku: 'soon', unitCost: 10, leadTime: 2, lotSize: 4, supplier: 's' },
    { sku: 'later', unitCost: 10, leadTime: 2, lotSize: 4, supplier: 's' },
    { sku: 'capped', unitCost: 10, leadTime: 2, lotSize: 5, maxOrder: 10, supplier: 't' },
  ]
  const suppliers = [{ id: 's', minOrderValue: 120 }, { id: 't', minOrderValue: 500, freeFreightThreshold: 800 }]
  const r = fs.purchaseOrders(planResult, suppliers, items)
  assert.deepEqual(r.failures, [])
  const [s, t] = r.orders
  assert.deepEqual(s.lines.map((l) => [l.sku, l.quantity, l.reason]), [['due', 6, 'topped_up'], ['soon', 4, 'brought_forward'], ['later', 4, 'brought_forward']])
  assert.equal(s.totalValue, 140)
  assert.equal(s.meetsMinOrderValue, true)
  assert.equal(t.lines[0].quantity, 10)
  assert.equal(t.meetsMinOrderValue, false)
  assert.equal(t.meetsFreeFreight, false)
  assert.equal(t.shortfall, 700)
  assert.match(t.note, /cannot reach/)
  throwsCode(() => fs.purchaseOrders(planResult, [{ id: 's' }, { id: 's' }], items), 'ERR_INVALID_PARAMETER')
  throwsCode(() => fs.purchaseOrders(42, suppliers, items), 'ERR_INVALID_PARAMETER')
})
