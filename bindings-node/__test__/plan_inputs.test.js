'use strict'
// A newcomer's item master plans on the first try; a bad row or a null demand value fails its own
// SKU only; a run that plans little or nothing is recorded and reported as a failure.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { dailyPlanJob } = require('../jobs.js')
const { Scheduler } = require('../scheduler.js')

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

/** `n` weekly SKUs over two years (every third seasonal); items with only sku, unitCost, leadTime, onHand. */
function catalogue(n, seed = 2026) {
  const u = rng(seed)
  const histories = []
  const items = []
  for (let i = 0; i < n; i++) {
    const sku = `SKU-${String(i).padStart(4, '0')}`
    const level = 5 + 195 * u()
    const amplitude = i % 3 === 0 ? 0.4 : 0
    const demand = Float64Array.from({ length: 104 }, (_, t) => {
      const noise = (u() + u() + u() - 1.5) * 0.4 // roughly normal, sd 0.2
      return Math.max(0, Math.round(level * (1 + amplitude * Math.sin((2 * Math.PI * t) / 52)) * (1 + noise)))
    })
    histories.push({ sku, demand })
    items.push({ sku, unitCost: Math.round(1 + 99 * u()), leadTime: Math.floor(1 + 6 * u()), onHand: Math.round(level * 8 * u()) })
  }
  return { histories, items }
}

test('a minimal item master (sku, unitCost, leadTime, onHand) plans all 500 SKUs', async () => {
  const { histories, items } = catalogue(500)
  const out = await fs.plan(histories, items)
  assert.deepEqual(out.failures, [])
  assert.equal(out.stats.planned, 500)
  assert.equal(out.stats.skus, 500)
  assert.equal(out.stats.status, 'ok')
  assert.deepEqual(out.notes, [])
  let maxCover = 0
  for (const p of out.plans) {
    const weekly = p.forecast.mean.reduce((a, b) => a + b, 0) / p.forecast.mean.length
    const r = p.recommendation
    maxCover = Math.max(maxCover, (r.inventoryPosition + r.orderQuantity) / weekly)
  }
  assert.ok(maxCover <= 26, `max cover ${maxCover.toFixed(1)} weeks`)
  assert.ok(out.stats.orders > 100)
})

test('every recommendation has a reason that explains its priority against the order', async () => {
  const { histories, items } = catalogue(200)
  items.forEach((it, i) => { if (i % 4 === 0) it.onOrder = 5000 })
  const out = await fs.plan(histories, items)
  assert.deepEqual(out.failures, [])
  let urgentIdle = 0
  for (const p of out.plans) {
    const r = p.recommendation
    assert.equal(typeof r.reason, 'string')
    assert.equal(r.reason.startsWith('order '), r.orderQuantity > 0, r.reason)
    if (r.priority === 'urgent' && !r.shouldReorder) {
      urgentIdle += 1
      assert.match(r.reason, /expedite the open orders/)
    }
  }
  assert.ok(urgentIdle >= 5, `${urgentIdle} urgent SKUs without an order`)
})

test('an unknown option key rejects with a did-you-mean hint', async () => {
  const { histories, items } = catalogue(3)
  await assert.rejects(fs.plan(histories, items, { horizn: 8 }), (e) => e.code === 'ERR_INVALID_PARAMETER' && /`horizn`.*did you mean `horizon`\?/.test(e.message))
  await assert.rejects(fs.plan(histories, items, { periodPerYear: 12 }), /did you mean `periodsPerYear`\?/)
  // A model setting the named model does not read is named the JS way, in batches and classes.
  const series = histories.map((h) => ({ id: h.sku, y: Float64Array.from(h.demand) }))
  await assert.rejects(fs.forecastBatch(series, { model: 'naive', h: 4, horizn: 8 }), (e) => e.code === 'ERR_INVALID_PARAMETER' && /`horizn`.*model `naive`, which takes none/.test(e.message))
  await assert.rejects(fs.forecastBatch(series, { model: 'seasonalNaive', h: 4, seasonLenght: 52 }), /`seasonLenght`.*did you mean `seasonLength`\?/)
  assert.throws(() => new fs.SeasonalNaive({ seasonLength: 4, windw: 3 }), /`windw`.*is not an option \(options: seasonLength\)/)
  assert.throws(() => new fs.AutoETS({ seasonLenght: 12 }), /did you mean `seasonLength`\?/)
  assert.equal(JSON.parse(new fs.ETS({ model: 'MAdM', seasonLength: 12 }).spec).spec, 'MAdM')
  await assert.rejects(fs.plan(histories, items, { model: { model: 'seasonalNaive', seasonLength: 52, seasnLength: 4 } }), /did you mean `seasonLength`\?/)
})

test('a duplicate item row fails that SKU once and it is not planned', async () => {
  const { histories, items } = catalogue(6, 7)
  const out = await fs.plan(histories, [...items, { ...items[2], onHand: 1000 }])
  assert.deepEqual(out.failures.map((f) => [f.sku, f.code]), [['SKU-0002', 'ERR_CORRUPT_RECORD']])
  assert.match(out.failures[0].message, /2 item master rows/)
  assert.ok(!out.plans.some((p) => p.sku === 'SKU-0002'))
  assert.deepEqual([out.stats.skus, out.stats.planned, out.stats.failed], [6, 5, 1])
})

test('a null demand value fails that series only, naming the index', async () => {
  const { histories, items } = catalogue(6, 8)
  const withNull = histories.map((h, i) => (i === 1 ? { sku: h.sku, demand: [...h.demand.slice(0, 10), null, ...h.demand.slice(11)] } : h))
  const out = await fs.plan(withNull, items)
  assert.deepEqual(out.failures.map((f) => [f.sku, f.code]), [['SKU-0001', 'ERR_INVALID_PARAMETER']])
  assert.match(out.failures[0].message, /`demand\[10\]` = null: must be a number/)
  assert.equal(out.stats.planned, 5)
  assert.equal(out.stats.failuresByCode.ERR_INVALID_PARAMETER, 1)
})

test('stats.status says degraded or failed when most or all SKUs fail', async () => {
  const { histories, items } = catalogue(6, 9)
  const degraded = await fs.plan(histories, items.map((it, i) => (i < 4 ? { ...it, leadTime: -1 } : it)))
  assert.deepEqual([degraded.stats.status, degraded.stats.planned], ['degraded', 2])
  const failed = await fs.plan(histories, items.map((it) => ({ ...it, leadTime: -1 })))
  assert.deepEqual([failed.stats.status, failed.stats.failuresByCode], ['failed', { ERR_INVALID_PARAMETER: 6 }])
})

test('dailyPlanJob records a failed or degraded plan as a failure and rejects; the scheduler emits failure', async () => {
  const { histories, items } = catalogue(6, 10)
  const broken = items.map((it) => ({ ...it, leadTime: -1 }))
  const audit = new fs.AuditLog()
  const stored = []
  const job = dailyPlanJob({ load: () => ({ histories, items: broken }), store: (r) => stored.push(r), audit })
  await assert.rejects(job(), (e) => {
    assert.equal(e.code, 'ERR_PLAN_FAILED')
    assert.match(e.message, /daily plan failed: 0 of 6 SKUs planned, 6 failed \(ERR_INVALID_PARAMETER x6\)/)
    assert.equal(e.result, stored[0]) // stored, then reported
    return true
  })
  const record = audit.records().at(-1).payload
  assert.deepEqual([record.job, record.status, record.stats.failed], ['daily_plan', 'failed', 6])

  const half = items.map((it, i) => (i < 4 ? { ...it, leadTime: -1 } : it))
  const degradedJob = dailyPlanJob({ load: () => ({ histories, items: half }), store: () => {}, audit })
  await assert.rejects(degradedJob(), { code: 'ERR_PLAN_DEGRADED' })
  assert.equal(audit.records().at(-1).payload.status, 'degraded')
  await dailyPlanJob({ load: () => ({ histories, items }), store: () => {}, audit })()
  assert.equal(audit.records().at(-1).payload.status, 'ok')
  assert.equal(audit.verify(), true)

  const failures = []
  const s = new Scheduler().addJob('daily-plan', '0 6 * * *', job)
  s.on('failure', (event) => failures.push(event))
  await assert.rejects(s.runNow('daily-plan'), { code: 'ERR_PLAN_FAILED' })
  assert.equal(failures.length, 1)
  assert.equal(failures[0].name, 'daily-plan')
})
