'use strict'
// The feedback loop from Node: decisions (store + audit log), actuals, adapted ensemble weights used
// by the plan, the feedback report, and realised accuracy in the run metrics and the scheduler.
const test = require('node:test')
const assert = require('node:assert/strict')
const os = require('node:os')
const path = require('node:path')
const fsys = require('node:fs')
const fs = require('..')
const { Scheduler } = require('../scheduler.js')
const { throwsCode } = require('./helpers')

const T0 = Date.parse('2026-03-02T06:00:00Z')
const day = (i) => new Date(T0 + i * 86400000)
const scratch = () => fsys.mkdtempSync(path.join(os.tmpdir(), 'forestock-feedback-'))

function fieldOf(fn) {
  try {
    fn()
  } catch (e) {
    assert.equal(e.code, 'ERR_INVALID_PARAMETER', e.message)
    return e.message.match(/`([^`]+)`/)[1]
  }
  assert.fail('no error')
}

test('decisions are stored, audited and checked', () => {
  const dir = scratch()
  const store = path.join(dir, 'decisions.jsonl')
  const log = path.join(dir, 'audit.jsonl')
  const a = fs.recordDecision(store, 'A-1', 100, 'approved', null, 'ana', day(0), log)
  assert.equal(a.quantity, 100)
  assert.equal(a.at, '2026-03-02T06:00:00Z')
  assert.equal(fs.recordDecision(store, 'A-1', 100, 'adjusted', 120, 'ana', day(1), log).quantity, 120)
  assert.equal(fs.recordDecision(store, 'B-2', 7, 'rejected', undefined, 'bo', day(1)).quantity, 0)
  const audit = fs.AuditLog.load(log)
  assert.equal(audit.verify(), true)
  assert.deepEqual(audit.records()[1].payload, { type: 'order_decision', sku: 'A-1', recommendation: 100, decision: 'adjusted', quantity: 120, by: 'ana' })
  assert.equal(fieldOf(() => fs.recordDecision(store, 'A-1', 100, 'aproved', null, 'ana', day(2))), 'decision')
  assert.equal(fieldOf(() => fs.recordDecision(store, 'A-1', 100, 'adjusted', null, 'ana', day(2))), 'quantity')
  assert.equal(fieldOf(() => fs.recordDecision(store, 'A-1', 100, 'adjusted', NaN, 'ana', day(2))), 'quantity')
  assert.equal(fieldOf(() => fs.recordDecision(store, 'A-1', 100, 'adjusted', -1, 'ana', day(2))), 'quantity')
  assert.equal(fieldOf(() => fs.recordDecision(store, 'A-1', 100, 'approved', null, 'ana', day(0))), 'at')
  assert.equal(fieldOf(() => fs.recordDecision(store, '', 100, 'approved', null, 'ana', day(2))), 'sku')
  fsys.appendFileSync(store, '{"sku": "A-1", "recommendation"')
  throwsCode(() => fs.feedbackReport(store), 'ERR_CORRUPT_RECORD', /line 4/)
})

test('weights move to the member that became better, and the plan uses them', async () => {
  const store = path.join(scratch(), 'actuals.jsonl')
  // "a" misses by 1 for 20 periods while "b" misses by 5; then "b" misses by 0.5 and "a" by 5.
  let periodsToFollow = null
  for (let t = 0; t < 30; t++) {
    const [errA, errB] = t < 20 ? [1, 5] : [5, 0.5]
    const r = fs.recordActuals(store, 'A-1', day(t), 100, { a: 100 + errA, b: 100 - errB }, 100)
    assert.deepEqual(r.errors, { a: errA, b: -errB })
    const w = fs.adaptedWeights(store, 'A-1')
    assert.deepEqual(w.members, ['a', 'b'])
    if (t >= 20 && periodsToFollow === null && w.weights[1] >= 0.5) periodsToFollow = t - 19
  }
  assert.equal(periodsToFollow, 6)
  const seed = fs.adaptedWeights(store, 'A-1', { rule: 'inverseError' })
  assert.equal(seed.rule.rule, 'inverseError')
  assert.ok(seed.weights[0] > 0.5, `${seed.weights}`)
  assert.equal(fieldOf(() => fs.recordActuals(store, 'A-1', day(29), 100, { a: 1 })), 'at')
  assert.equal(fieldOf(() => fs.recordActuals(store, 'A-1', day(40), 100, { a: -1 })), 'forecasts.a')
  assert.equal(fieldOf(() => fs.adaptedWeights(store, 'A-1', { rule: 'hedge', shrinkage: 0.5 })), 'shrinkage')
  throwsCode(() => fs.adaptedWeights(store, 'nope'), 'ERR_MISSING_DATA')

  const y = Float64Array.from({ length: 72 }, (_, t) => 100 + 30 * Math.sin((t * Math.PI) / 6) + (t % 5))
  // Plan model options take the members in the core's spec form (snake_case settings).
  const model = { model: 'ensemble', seasonLength: 12, members: [{ model: 'naive' }, { model: 'seasonal_naive', season_length: 12 }] }
  const result = await fs.plan([{ sku: 'A-1', demand: y }], [{ sku: 'A-1', unitCost: 2, leadTime: 1 }], {
    horizon: 3, model, ensembleWeights: { 'A-1': { naive: 0.25, seasonal_naive: 0.75 } },
  })
  assert.equal(result.failures.length, 0)
  const plan = result.plans[0]
  assert.deepEqual(Object.keys(plan.memberForecasts), ['naive', 'seasonal_naive'])
  for (let h = 0; h < 3; h++) {
    const expected = 0.25 * y[71] + 0.75 * y[60 + h]
    assert.ok(Math.abs(plan.forecast.mean[h] - expected) < 1e-9 * expected, `${plan.forecast.mean[h]} vs ${expected}`)
    assert.equal(plan.memberForecasts.seasonal_naive[h], y[60 + h])
  }
})

test('a planner who always adds 20% is reported as biased, and right or wrong against actuals', () => {
  const run = (factor) => {
    const dir = scratch()
    const decisions = path.join(dir, 'd.jsonl')
    const actuals = path.join(dir, 'a.jsonl')
    for (let t = 0; t < 10; t++) {
      const forecast = 20 + t
      fs.recordDecision(decisions, 'A-1', 2 * forecast, 'adjusted', 2.4 * forecast, 'ana', day(t))
      fs.recordActuals(actuals, 'A-1', day(t), forecast * factor, { ets: forecast }, forecast)
    }
    fs.recordDecision(decisions, 'B-2', 5, 'approved', null, 'bo', day(0))
    return fs.feedbackReport(decisions, actuals, { 'A-1': 'A', 'B-2': 'C' })
  }
  const right = run(1.25).bySku['A-1']
  assert.equal(right.biased, true)
  assert.equal(right.adds, 10)
  assert.ok(Math.abs(right.bias - 0.2) < 1e-12)
  assert.ok(Math.abs(right.biasPValue - 2 / 1024) < 1e-15)
  assert.equal(right.verdict, 'right')
  assert.equal(right.overridesCloser, 10)
  const wrong = run(1.0)
  assert.equal(wrong.bySku['A-1'].biased, true)
  assert.equal(wrong.bySku['A-1'].verdict, 'wrong')
  assert.equal(wrong.byClass.C.approvalRate, 1)
  assert.equal(wrong.byClass.C.verdict, 'not_judged')
})

test('realised accuracy reaches the run metrics and the scheduler', async () => {
  const history = { 'A-1': [10, 12, 11, 13], 'B-2': [1, 0, 2, 1] }
  const forecasts = [{ sku: 'A-1', abcClass: 'A', mean: [12, 12] }, { sku: 'B-2', abcClass: 'C', mean: [1, 1] }]
  const realised = fs.realisedAccuracy(forecasts, history, { 'A-1': [15, 9], 'B-2': [2, 0] }, 1)
  // |3|/15 and |3|/9 -> MAPE 26.67%; naive scale (2+1+2)/3 -> MASE 3/(5/3) = 1.8.
  assert.ok(Math.abs(realised.A.mape - (100 * (3 / 15 + 3 / 9)) / 2) < 1e-9)
  assert.ok(Math.abs(realised.A.mase - 1.8) < 1e-12)
  assert.equal(realised.C.skus, 1)
  const record = fs.runMetrics('plan', 'daily', 1, { realised, finishedAt: 0 })
  assert.ok(Math.abs(record.realised.A.mase - 1.8) < 1e-12)
  const sched = new Scheduler()
  sched.addJob('accuracy', '0 6 * * *', () => ({ forestockRealised: realised }))
  await sched.runNow('accuracy')
  assert.ok(Math.abs(sched.lastMetrics('accuracy').realised.A.mase - 1.8) < 1e-12)
  assert.ok(sched.metricsText().includes('class="A"'))
})
