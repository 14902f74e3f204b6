'use strict'
// Run the planning job on a schedule (every minute by default) for a number of seconds, then stop.
// Usage: node examples/node/run_scheduler.js [seconds=130] [cron='* * * * *'] [timezone=UTC]
// e.g. `node examples/node/run_scheduler.js 5 '* * * * * *'` plans every second for 5 seconds.
//
// In your project write `require('forestock')`; this example loads the repository checkout.
const forestock = require('../../bindings-node')
const { Scheduler, dailyPlanJob, AuditLog } = forestock

const seconds = Math.max(0, Number(process.argv[2] ?? 130))
const cron = process.argv[3] ?? '* * * * *'
const timezone = process.argv[4] ?? 'UTC'

/** Stand-ins for your data access: load the histories and item master, store the plan. */
const histories = ['A', 'B', 'C'].map((sku, k) => ({
  sku, demand: Float64Array.from({ length: 60 }, (_, t) => 20 + 5 * k + ((t * 7 + k) % 6)),
}))
const items = histories.map(({ sku }, k) => ({ sku, unitCost: 10, leadTime: 2, onHand: 30 * k, holdingCostRate: 0.004 }))
const stored = []
const audit = new AuditLog() // one hash-chained record per run

// The ready-made job: load -> plan (libuv pool) -> store, plus the audit record.
const dailyPlan = dailyPlanJob({
  load: () => ({ histories, items }),
  store: (result, { scheduledAt }) => stored.push({ at: scheduledAt, plans: result.plans }),
  audit,
  horizon: 4,
})

const scheduler = new Scheduler()
  .addJob('plan', cron, dailyPlan, { timezone, jitterMs: 0, misfireGraceMs: 60000 })
scheduler.on('success', ({ name, scheduledAt, result, durationMs }) =>
  console.log(`${name} run for ${scheduledAt.toISOString()}: ${result.stats.planned} SKUs planned, ${result.stats.orders} orders (${durationMs} ms)`))
scheduler.on('failure', ({ name, error }) => console.error(`${name} failed: ${error.message}`))
scheduler.on('skip', ({ name, scheduledAt }) => console.log(`${name} skipped ${scheduledAt.toISOString()}: still running`))
scheduler.on('misfire', ({ name, lateMs }) => console.log(`${name} misfired (${lateMs} ms late)`))

scheduler.start()
console.log(`scheduler started (${forestock.cronDescribe(cron, timezone)}, ${timezone}); next run ${scheduler.nextRun('plan').toISOString()}; stopping in ${seconds} s`)
setTimeout(async () => {
  await scheduler.stop() // waits for a run in progress
  console.log(`stopped after ${stored.length} runs; audit log of ${audit.length} records verifies: ${audit.verify()}`)
}, seconds * 1000)
