'use strict'
// runMetrics / prometheusText (the core's telemetry) and the scheduler's `metrics` event.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { dailyPlanJob, weeklyRetrainJob } = require('../jobs.js')

const seasonal = Float64Array.from({ length: 60 }, (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7) % 5))
const histories = [
  { sku: 'seasonal', demand: seasonal },
  { sku: 'flat', demand: Float64Array.from({ length: 60 }, (_, t) => 30 + (t % 3)) },
  { sku: 'broken', demand: [1, 2, NaN, 4, 5, 6, 7, 8] },
]
const items = [
  { sku: 'seasonal', unitCost: 10, leadTime: 2, onHand: 0 },
  { sku: 'flat', unitCost: 4, leadTime: 1, onHand: 500 },
  { sku: 'broken', unitCost: 1, leadTime: 1 },
]

test('a plan record carries the run counts and renders as Prometheus text', async () => {
  const result = await fs.plan(histories, items, { horizon: 4 })
  const record = fs.runMetrics('plan', 'dailyPlan', 2.5, { summary: result.stats, finishedAt: 1764633600 })
  assert.equal(record.kind, 'plan')
  assert.equal(record.status, 'ok')
  assert.equal(record.succeeded, 2)
  assert.equal(record.failed, 1)
  assert.deepEqual(record.failuresByCode, { ERR_INVALID_SERIES: 1 })
  assert.equal(record.orders, result.stats.orders)
  assert.deepEqual(record.ordersByPriority, result.stats.ordersByPriority)
  assert.deepEqual(record.ordersByClass, result.stats.ordersByAbc)
  const text = fs.prometheusText([record])
  assert.match(text, /^# HELP forestock_plan_duration_seconds /)
  assert.ok(text.includes('forestock_plan_duration_seconds{job="dailyPlan"} 2.5\n'), text)
  assert.ok(text.includes('forestock_plan_failures{job="dailyPlan",code="ERR_INVALID_SERIES"} 1\n'), text)
  assert.ok(text.includes('forestock_plan_last_run_timestamp_seconds{job="dailyPlan"} 1764633600\n'), text)
  // The records Python makes render the same: one core definition.
  assert.ok(text.includes('forestock_plan_skus{job="dailyPlan",state="succeeded"} 2\n'), text)
})

test('bad records are coded errors naming the field', () => {
  const code = (fn, field) => assert.throws(fn, (err) => err.code === 'ERR_INVALID_PARAMETER' && err.message.includes(field))
  code(() => fs.runMetrics('weekly', 'j', 1), 'kind')
  code(() => fs.runMetrics('job', 'j', Number.NaN), 'duration_seconds')
  code(() => fs.runMetrics('plan', 'j', 1, { summary: { skus: 'many' } }), 'summary')
  code(() => fs.runMetrics('job', 'j', 1, { okay: true }), 'okay')
  code(() => fs.prometheusText([{ kind: 'job' }]), 'records[0]')
})

function manualClock(start) {
  return { t: start, now() { return this.t }, setTimeout: () => 0, clearTimeout: () => {} }
}

test('the scheduler emits and keeps a metrics record per finished run', async () => {
  const clock = manualClock(Date.parse('2026-03-02T06:00:00Z'))
  const sched = new fs.Scheduler({ clock })
  const seen = []
  sched.on('metrics', (record) => seen.push(record))
  sched.on('failure', () => {})
  const registry = new fs.Registry()
  sched.addJob('plan', '0 6 * * *', dailyPlanJob({ load: () => ({ histories, items }), store: () => {}, horizon: 4 }))
  sched.addJob('retrain', '0 2 * * SUN', weeklyRetrainJob({ load: () => ({ histories: histories.slice(0, 2), registry }), store: () => {}, seasonLength: 12 }))
  sched.addJob('export', '0 7 * * *', () => { clock.t += 1500; throw new Error('database down') })
  const planned = await sched.runNow('plan')
  assert.equal(Object.keys(planned).includes('forestockRun'), false, 'the result keeps its own fields')
  await sched.runNow('retrain')
  await assert.rejects(sched.runNow('export'), /database down/)
  assert.deepEqual(seen.map((r) => [r.job, r.kind, r.status]), [['plan', 'plan', 'ok'], ['retrain', 'retrain', 'ok'], ['export', 'job', 'failed']])
  assert.equal(seen[0].failed, 1)
  assert.equal(seen[1].succeeded, 2)
  assert.equal(seen[1].promoted, 2)
  assert.equal(seen[2].durationSeconds, 1.5)
  assert.deepEqual(sched.lastMetrics('export'), seen[2])
  const text = sched.metricsText()
  assert.ok(text.includes('forestock_job_status{job="export",status="failed"} 1\n'), text)
  assert.ok(text.includes('forestock_retrain_promoted{job="retrain"} 2\n'), text)
  assert.ok(text.indexOf('job="export"') < text.indexOf('job="plan"'), 'jobs in name order within a family')
})

test('a degraded plan is recorded with its counts as a failed run', async () => {
  const sched = new fs.Scheduler({ clock: manualClock(0) })
  sched.on('failure', () => {})
  const bad = items.map((item, i) => (i === 0 ? item : { ...item, leadTime: -1 }))
  sched.addJob('plan', '0 6 * * *', dailyPlanJob({ load: () => ({ histories, items: bad }), store: () => {}, horizon: 4 }))
  await assert.rejects(sched.runNow('plan'), (err) => err.code === 'ERR_PLAN_DEGRADED')
  const record = sched.lastMetrics('plan')
  assert.equal(record.status, 'failed')
  assert.equal(record.failed, 2)
  assert.equal(sched.lastMetrics('plan'), record)
})
