'use strict'
// Inventory functions: numbers from forestock::inventory, checked against stockpyl 1.0.2 figures.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { fixture, closeNumber, throwsCode } = require('./helpers')

const stockpyl = fixture('reference', 'stockpyl_inventory.json').cases

test('eoq matches stockpyl economic_order_quantity', () => {
  const cases = stockpyl.filter((c) => c.function === 'economic_order_quantity')
  assert.ok(cases.length >= 3)
  for (const c of cases) {
    const r = fs.eoq({ orderingCost: c.args.K, holdingCost: c.args.h, demandRate: c.args.demand_rate })
    closeNumber(r.orderQuantity, c.expected.Q, 1e-12, 'Q')
    closeNumber(r.cost, c.expected.cost, 1e-12, 'cost')
  }
})

test('reorder point for a cycle service level matches stockpyl r_q_eoqss_approximation', () => {
  // stockpyl: r = mean L + z sd sqrt(L) with z = Phi^-1(p / (p + h)).
  const c = stockpyl.find((x) => x.function === 'r_q_eoqss_approximation')
  const { holding_cost: h, stockout_cost: p, demand_mean: d, demand_sd: sd, lead_time: L } = c.args
  const options = { demandMean: d, demandSd: sd, leadTime: L, serviceLevel: p / (p + h) }
  closeNumber(fs.reorderPoint(options), c.expected.r, 1e-9, 'r')
  closeNumber(fs.safetyStock(options), c.expected.r - d * L, 1e-9, 'ss')
  // The order quantity does not move a cycle-service reorder point.
  closeNumber(fs.reorderPoint({ ...options, method: 'cycleService', orderQuantity: c.expected.Q }), c.expected.r, 1e-9, 'r(Q)')
})

test('fill rate, lead-time variability and periodic review raise protection as they should', () => {
  const base = { demandMean: 100, demandSd: 20, leadTime: 4, serviceLevel: 0.95 }
  const ss = fs.safetyStock(base)
  assert.ok(fs.safetyStock({ ...base, leadTimeSd: 1 }) > ss)
  const periodic = fs.reorderPoint({ ...base, reviewPeriod: 1 })
  assert.ok(periodic > fs.reorderPoint(base) + 90)
  const fill = fs.safetyStock({ ...base, method: 'fillRate', orderQuantity: 500 })
  assert.ok(fill < ss, 'a 95% fill rate with Q = 500 needs less than a 95% cycle service level')
  const discrete = fs.reorderPoint({ demandMean: 0.3, demandSd: 0.6, leadTime: 2, serviceLevel: 0.9, distribution: 'discrete' })
  assert.equal(discrete, Math.round(discrete))
})

test('abcClassify ranks by value and cuts at the cumulative shares', () => {
  const items = fs.abcClassify([10, 700, 150, 90, 50], { a: 0.8, b: 0.95 })
  // shares in rank order: 700/1000 = 0.70, 0.85, 0.94, 0.99, 1.00
  assert.deepEqual(items.map((i) => i.class), ['C', 'A', 'B', 'B', 'C'])
  assert.deepEqual(items.map((i) => i.rank), [5, 1, 2, 3, 4])
  closeNumber(items[2].cumulativeShare, 0.85, 1e-12)
  closeNumber(items[1].share, 0.7, 1e-12)
  assert.deepEqual(fs.abcClassify([1, 2]).map((i) => i.class), ['C', 'A']) // defaults a = 0.8, b = 0.95
})

test('recommend orders up to the target with lot sizes and reports urgency', () => {
  const item = {
    onHand: 120, leadTime: 3, leadTimeSd: 0.5, moq: 50, lotSize: 25, unitCost: 4, orderingCost: 30,
    holdingCostRate: 0.002, service: { kind: 'cycleService', value: 0.95 }, demand: { kind: 'stationary', mean: 50, sd: 15 },
  }
  const r = fs.recommend(item)
  assert.equal(r.shouldReorder, true)
  assert.equal(r.orderQuantity % 25, 0)
  assert.equal(r.priority, 'urgent') // 120 units last 2.4 periods, less than the 3-period lead time
  closeNumber(r.inventoryPosition, 120, 0)
  closeNumber(r.protectionMean, 50 * 4, 1e-12) // review period 1 + lead time 3
  assert.ok(r.orderUpTo >= r.protectionMean + r.safetyStock - 1e-9)
  const forecast = fs.recommend({ ...item, onHand: 1000, demand: { kind: 'forecast', means: [50, 50, 50, 50], errorSd: [15, 15, 15, 15] } })
  assert.equal(forecast.shouldReorder, false)
  assert.equal(forecast.orderQuantity, 0)
  throwsCode(() => fs.recommend({ ...item, onHand: -1 }), 'ERR_INVALID_PARAMETER', /`onHand`/)
  throwsCode(() => fs.recommend({ ...item, service: { kind: 'sometimes', value: 0.9 } }), 'ERR_INVALID_PARAMETER', /item/)
  throwsCode(() => fs.recommend({ ...item, service: { kind: 'cycleService', value: 1.5 } }), 'ERR_INVALID_PARAMETER')
})

test('simulatePolicy achieves the cycle service the order-up-to level was set for', () => {
  const S = fs.reorderPoint({ demandMean: 100, demandSd: 20, leadTime: 4, serviceLevel: 0.95, reviewPeriod: 1 })
  const run = () => fs.simulatePolicy({
    policy: { kind: 'orderUpTo', reviewPeriod: 1, orderUpTo: S },
    demand: { kind: 'normal', mean: 100, sd: 20 },
    leadTime: { kind: 'fixed', periods: 4 },
    config: { periods: 5000, warmup: 50, trials: 2, seed: 7 },
  })
  const r = run()
  assert.ok(Math.abs(r.cycleServiceLevel - 0.95) < 0.015, `${r.cycleServiceLevel}`)
  assert.equal(r.periods, 10000)
  assert.deepEqual(run(), r, 'same seed, same report')
  throwsCode(() => fs.simulatePolicy({ policy: { kind: 'orderUpTo', reviewPeriod: 1, orderUpTo: S }, demand: { kind: 'normal', mean: -1, sd: 1 }, leadTime: { kind: 'fixed', periods: 1 } }), 'ERR_INVALID_PARAMETER', /`demandMean`/)
  throwsCode(() => fs.simulatePolicy({ policy: { kind: 'nope' }, demand: { kind: 'poisson', mean: 1 }, leadTime: { kind: 'fixed', periods: 1 } }), 'ERR_INVALID_PARAMETER', /policy/)
})

test('safety stock: one core method vocabulary, the old spellings are aliases', () => {
  const base = { demandMean: 100, demandSd: 20, leadTime: 4, leadTimeSd: 1, serviceLevel: 0.95 }
  const ss = fs.safetyStock(base)
  for (const method of ['cycleService', 'cycle_service', 'cycle']) assert.strictEqual(fs.safetyStock({ ...base, method }), ss)
  const fill = fs.reorderPoint({ ...base, method: 'fillRate', orderQuantity: 500 })
  assert.strictEqual(fs.reorderPoint({ ...base, method: 'fill_rate', orderQuantity: 500 }), fill)
})

test('bad inventory input throws coded errors', () => {
  throwsCode(() => fs.eoq({ orderingCost: -8, holdingCost: 0.2, demandRate: 100 }), 'ERR_INVALID_PARAMETER', /`orderingCost` = -8/)
  throwsCode(() => fs.eoq({ orderingCost: 8, holdingCost: NaN, demandRate: 100 }), 'ERR_INVALID_PARAMETER', /`holdingCost`/)
  const base = { demandMean: 100, demandSd: 20, leadTime: 4, serviceLevel: 0.95 }
  throwsCode(() => fs.safetyStock({ ...base, serviceLevel: 1 }), 'ERR_INVALID_PARAMETER', /`serviceLevel`/)
  // A fill-rate target is the caller's serviceLevel, named so.
  throwsCode(() => fs.safetyStock({ ...base, serviceLevel: 1.2, method: 'fillRate', orderQuantity: 50 }), 'ERR_INVALID_PARAMETER', /`serviceLevel` = 1.2: .*\(a fill rate\)/)
  throwsCode(() => fs.safetyStock({ ...base, demandSd: -1 }), 'ERR_INVALID_PARAMETER', /`demandSd`/)
  // Errors name the options as the caller spells them (camelCase).
  throwsCode(() => fs.safetyStock({ ...base, method: 'fillRate' }), 'ERR_INVALID_PARAMETER', /`orderQuantity`/)
  throwsCode(() => fs.safetyStock({ ...base, method: 'always' }), 'ERR_INVALID_PARAMETER', /method/)
  throwsCode(() => fs.safetyStock({ ...base, distribution: 'cauchy' }), 'ERR_INVALID_PARAMETER', /distribution/)
  throwsCode(() => fs.abcClassify([1, -2]), 'ERR_INVALID_PARAMETER', /\[1\]/)
  throwsCode(() => fs.abcClassify([1, 2], { a: 0.9, b: 0.5 }), 'ERR_INVALID_PARAMETER')
  assert.throws(() => fs.eoq({ orderingCost: 8 }), Error)
})

test('classifyDemand follows Syntetos-Boylan', () => {
  const c = fs.classifyDemand([0, 3, 0, 0, 3, 0, 4, 0])
  assert.equal(c.pattern, 'intermittent')
  assert.ok(Math.abs(c.adi - 8 / 3) < 1e-12)
  assert.equal(fs.classifyDemand([5, 6, 5, 7, 6]).pattern, 'smooth')
  assert.equal(fs.classifyDemand([0, 0, 0]).pattern, 'no_demand')
  assert.throws(() => fs.classifyDemand([1, -2]), (e) => typeof e.code === 'string')
})
