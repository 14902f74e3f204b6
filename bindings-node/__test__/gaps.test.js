'use strict'
// Data as users have it: a sales export that leaves out zero-sales weeks is put back on the
// catalogue's weekly grid by the core's gap rule (filled with zeros and listed in `gaps`, or rejected
// with `fillGaps: false`), implausible lead times are noted, and `periodsUntilStockout` names what it counts.
const test = require('node:test')
const assert = require('node:assert/strict')
const forestock = require('..')

/** A small deterministic generator (mulberry32), so the catalogue is the same on every run. */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WEEK_MS = 7 * 86400 * 1000
const week = (t) => new Date(Date.UTC(2024, 0, 1) + t * WEEK_MS).toISOString().slice(0, 10) // Mondays from 2024-01-01

/** `n` weekly SKUs over two years; every fourth sells nothing in the weeks where (t + i) % 5 === 0.
 * Items with only sku, unitCost, leadTime, onHand. */
function catalogue(n, seed = 2026) {
  const u = rng(seed)
  const complete = []
  const items = []
  for (let i = 0; i < n; i++) {
    const sku = `SKU-${String(i).padStart(4, '0')}`
    const level = 5 + 195 * u()
    const amplitude = i % 3 === 0 ? 0.4 : 0
    const demand = Array.from({ length: 104 }, (_, t) => {
      const noise = (u() + u() + u() - 1.5) * 0.4
      const y = Math.max(1, Math.round(level * (1 + amplitude * Math.sin((2 * Math.PI * t) / 52)) * (1 + noise)))
      return i % 4 === 0 && (t + i) % 5 === 0 ? 0 : y
    })
    complete.push({ sku, demand })
    items.push({ sku, unitCost: Math.round(1 + 99 * u()), leadTime: Math.floor(1 + 6 * u()), onHand: Math.round(level * 8 * u()) })
  }
  return { complete, items }
}

/** The sales export: dated rows, zero weeks left out. */
function salesExport(complete) {
  return complete.map(({ sku, demand }) => {
    const weeks = demand.map((_, t) => t).filter((t) => demand[t] > 0)
    return { sku, ds: weeks.map(week), demand: Float64Array.from(weeks.map((t) => demand[t])) }
  })
}

/** The complete histories from each SKU's first sale (nothing before it is known). */
function fromFirstSale(complete) {
  return complete.map(({ sku, demand }) => ({ sku, demand: Float64Array.from(demand.slice(demand.findIndex((y) => y > 0))) }))
}

test('a 500-SKU export without zero weeks plans every SKU and lists the gaps', async () => {
  const { complete, items } = catalogue(500)
  const out = await forestock.plan(salesExport(complete), items)
  assert.deepEqual(out.failures, [])
  assert.deepEqual([out.stats.planned, out.stats.skus, out.stats.status], [500, 500, 'ok'])
  assert.equal(out.gaps.length, 125)
  assert.deepEqual(out.gaps.map((g) => g.sku), Array.from({ length: 125 }, (_, k) => `SKU-${String(4 * k).padStart(4, '0')}`))
  assert.deepEqual(out.gaps[0], { sku: 'SKU-0000', missing: 20, firstMissing: '2024-02-05' })
  const missing = fromFirstSale(complete).reduce((n, h) => n + h.demand.filter((y) => y === 0).length, 0)
  assert.equal(out.gaps.reduce((n, g) => n + g.missing, 0), missing)
  let maxCover = 0
  for (const p of out.plans) {
    const weekly = p.forecast.mean.reduce((a, b) => a + b, 0) / p.forecast.mean.length
    const r = p.recommendation
    maxCover = Math.max(maxCover, (r.inventoryPosition + r.orderQuantity) / weekly)
  }
  assert.ok(maxCover <= 26, `max cover ${maxCover.toFixed(1)} weeks`)
  // Filled, the export plans exactly like the complete weeks.
  const expected = await forestock.plan(fromFirstSale(complete), items)
  assert.deepEqual(out.plans, expected.plans)
  assert.deepEqual(expected.gaps, [])
})

test('fillGaps: false rejects naming the SKU and its first missing week', async () => {
  const { complete, items } = catalogue(8, 3)
  await assert.rejects(forestock.plan(salesExport(complete), items, { fillGaps: false }), (e) => {
    assert.equal(e.code, 'ERR_MISSING_DATA')
    assert.match(e.message, /`SKU-0000`.*ds = 2024-02-05/)
    return true
  })
  await assert.rejects(forestock.plan(salesExport(complete), items, { fillGaps: 'no' }), /fillGaps/)
})

test('integer periods fill inner gaps; ds must match the demand and be given for every SKU', async () => {
  const { items } = catalogue(2, 4)
  const histories = [
    { sku: 'SKU-0000', ds: [0, 1, 3, 4], demand: [5, 6, 7, 8] },
    { sku: 'SKU-0001', ds: [0, 1, 2, 3, 4], demand: [5, 6, 7, 8, 9] },
  ]
  const out = await forestock.plan(histories, items, { model: 'naive' })
  assert.deepEqual(out.gaps, [{ sku: 'SKU-0000', missing: 1, firstMissing: 2 }])
  assert.equal(out.plans[0].forecast.mean[0], 8)
  await assert.rejects(forestock.plan([{ ...histories[0], ds: [0, 1, 3] }, histories[1]], items), /`SKU-0000`.*one entry per demand value/)
  await assert.rejects(forestock.plan([histories[0], { sku: 'SKU-0001', demand: [1, 2] }], items), /`SKU-0001`.*every SKU or none/)
  await assert.rejects(forestock.plan([{ ...histories[0], ds: ['2024-01-01', 'soon', '2024-01-15', '2024-01-22'] }, { ...histories[1], ds: undefined }], items), /ds\[1\]/)
})

test('lead times over 26 periods are noted; periodsUntilStockout is in periods', async () => {
  const { complete, items } = catalogue(6, 5)
  items[2].leadTime = 35 // days given for weekly demand
  const out = await forestock.plan(fromFirstSale(complete), items)
  assert.equal(out.stats.planned, 6)
  assert.equal(out.notes.length, 1)
  assert.match(out.notes[0], /^1 SKU\(s\) have a lead time over 26 periods: SKU-0002 \(35\)/)
  assert.ok(out.plans.some((p) => typeof p.recommendation.periodsUntilStockout === 'number'))
  assert.ok(out.plans.every((p) => !('daysUntilStockout' in p.recommendation)))
})
