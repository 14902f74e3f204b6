'use strict'
// jobs.js: the ready-made daily planning and weekly retraining jobs for the scheduler.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { dailyPlanJob, weeklyRetrainJob } = require('../jobs.js')

const seasonal = Float64Array.from({ length: 60 }, (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7) % 5))
const histories = [
  { sku: 'seasonal', demand: seasonal },
  { sku: 'broken', demand: [1, 2, NaN, 4, 5, 6, 7, 8] },
]
const items = [
  { sku: 'seasonal', unitCost: 10, leadTime: 2, onHand: 50, holdingCostRate: 0.004 },
  { sku: 'broken', unitCost: 1, leadTime: 1, holdingCostRate: 0.004 },
]
const context = { name: 'daily', scheduledAt: new Date('2026-02-02T06:00:00Z') }

test('dailyPlanJob: load -> plan -> store, one audit record per run', async () => {
  const stored = []
  const audit = new fs.AuditLog()
  const job = dailyPlanJob({
    load: async (ctx) => {
      assert.equal(ctx, context)
      return { histories, items }
    },
    store: async (result, ctx) => stored.push([result, ctx]),
    audit,
    horizon: 4,
    model: { model: 'autoModel', seasonLength: 12 },
  })
  assert.equal(typeof job, 'function')
  const result = await job(context)
  assert.deepEqual(result, await fs.plan(histories, items, { horizon: 4, model: { model: 'autoModel', seasonLength: 12 } }))
  assert.equal(stored.length, 1)
  assert.equal(stored[0][0], result)
  assert.equal(stored[0][1], context)
  const [record] = audit.records()
  assert.equal(record.kind, 'run')
  // The core's record (`PlanOutput::audit_payload`): the same JSON Python's job and the Rust job write.
  assert.deepEqual(result.audit, [{ kind: 'run', payload: record.payload }])
  const { payload } = record
  assert.deepEqual([payload.job, payload.status, payload.stats.planned, payload.config.horizon], ['daily_plan', 'ok', result.stats.planned, 4])
  const orders = result.plans.filter((p) => p.recommendation.shouldReorder)
  assert.deepEqual(payload.orders, orders.map((p) => [p.sku, p.recommendation.orderQuantity, p.recommendation.priority]))
  assert.deepEqual(payload.failures, [['broken', 'ERR_INVALID_SERIES']])
  assert.equal(audit.verify(), true)
})

test('weeklyRetrainJob: load -> retrain (registry updated) -> store', async () => {
  const registry = new fs.Registry()
  const audit = new fs.AuditLog()
  const stored = []
  const job = weeklyRetrainJob({
    load: () => ({ histories, registry }),
    store: (report, reg) => stored.push([report, reg]),
    audit,
    seasonLength: 12,
    now: new Date('2026-02-01T00:00:00Z'),
  })
  const report = await job()
  assert.deepEqual(report.outcomes.map((o) => o.sku), ['seasonal'])
  assert.deepEqual(registry.skus(), ['seasonal'])
  assert.equal(stored[0][0], report)
  assert.equal(stored[0][1], registry)
  const again = await job()
  assert.equal(again.outcomes[0].decision.promoted, false)
  // The core's records (`RetrainReport::audit_entries`): a run record, then one per promotion.
  assert.deepEqual(audit.records().map((r) => [r.kind, r.payload.job, r.payload.promoted]), [
    ['run', 'weekly_retrain', ['seasonal']],
    ['promotion', undefined, true],
    ['run', 'weekly_retrain', []],
  ])
  assert.deepEqual(audit.records()[0].payload.failures, [['broken', 'ERR_FIT_FAILED']])
  assert.deepEqual([audit.records()[0].payload.skus, audit.records()[0].payload.retrained], [2, 1])
  assert.equal(audit.records()[1].payload.sku, 'seasonal')
})

test('a failing run is recorded and its error re-thrown', async () => {
  const audit = new fs.AuditLog()
  const failing = dailyPlanJob({ load: async () => ({ histories, items }), store: async () => { throw Object.assign(new Error('disk full'), { code: 'EIO' }) }, audit })
  await assert.rejects(failing(context), /disk full/)
  const bad = dailyPlanJob({ load: async () => ({ histories }), store: () => {}, audit })
  await assert.rejects(bad(context), (err) => err.code === 'ERR_MISSING_DATA' && /items/.test(err.message))
  const badOptions = dailyPlanJob({ load: async () => ({ histories, items }), store: () => {}, audit, horizon: 0 })
  await assert.rejects(badOptions(), (err) => err.code === 'ERR_INVALID_PARAMETER')
  const weeklyBad = weeklyRetrainJob({ load: () => ({ histories, registry: {} }), store: () => {}, audit })
  await assert.rejects(weeklyBad(), Error)
  assert.deepEqual(audit.records().map((r) => [r.kind, r.payload.status, r.payload.error.code]), [
    ['run', 'failure', 'EIO'],
    ['run', 'failure', 'ERR_MISSING_DATA'],
    ['run', 'failure', 'ERR_INVALID_PARAMETER'],
    ['run', 'failure', 'ERR_INVALID_PARAMETER'],
  ])
  assert.equal(audit.verify(), true)
})

test('factories check their options', () => {
  for (const factory of [dailyPlanJob, weeklyRetrainJob]) {
    assert.throws(() => factory(), (e) => e.code === 'ERR_INVALID_PARAMETER')
    assert.throws(() => factory({ store() {} }), (e) => e.code === 'ERR_INVALID_PARAMETER' && /load/.test(e.message))
    assert.throws(() => factory({ load() {} }), (e) => e.code === 'ERR_INVALID_PARAMETER' && /store/.test(e.message))
    assert.throws(() => factory({ load() {}, store() {}, audit: {} }), (e) => e.code === 'ERR_INVALID_PARAMETER' && /audit/.test(e.message))
  }
})
