// Typed usage check of the package entry's types (main.d.ts: index.d.ts + jobs.d.ts + scheduler.d.ts) (compiled with `tsc --noEmit --strict` by types.test.js, never run).
// Correct calls must compile; each `@ts-expect-error` line must be rejected by the types.
import * as fs from '../../main'
import { dailyPlanJob, weeklyRetrainJob } from '../../main'

const y = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8])

const fit: fs.FittedModel = new fs.AutoETS({ seasonLength: 12, model: 'ZZN', damped: false }).fit(y)
const fc: fs.ForecastResult = fit.predict(6, [80, 95])
const lower: Float64Array = fc.intervals[0].lower
new fs.ETS({ model: 'MAdM', seasonLength: 12 }).forecast([1, 2, 3], 3)
new fs.HoltWinters({ seasonLength: 4, seasonality: 'multiplicative' })
new fs.TSB({ alphaD: 0.2, alphaP: 0.1 })
for (const C of [fs.CrostonClassic, fs.CrostonOptimized, fs.CrostonSBA, fs.ADIDA, fs.IMAPA]) new C().fit(y)
new fs.AutoModel({ seasonLength: 52 })
// @ts-expect-error the ETS form is required
new fs.ETS({ seasonLength: 12 })
// @ts-expect-error seasonLength is a number
new fs.SeasonalNaive({ seasonLength: '12' })

async function batch(): Promise<void> {
  const out = await fs.forecastBatch([{ id: 'a', y }], { model: 'autoEts', h: 4, levels: [95], seasonLength: 52 })
  for (const entry of out) {
    if (entry.error) console.log(entry.error.code, entry.id) // the documented loop, under --strict
    else console.log(entry.mean[0], entry.unusedPeriods)
  }
  const planned = await fs.plan([{ sku: 'a', demand: y }], [{ sku: 'a', unitCost: 1, leadTime: 2, holdingCostRate: 0.01 }], { horizon: 4 })
  const qty: number = planned.plans[0].recommendation.orderQuantity
  const bt = await fs.backtest(y, { model: 'naive', h: 2, windows: 2, step: 1 })
  const mae: number = bt.metrics.mae
  console.log(qty, mae)
}

const ss: number = fs.safetyStock({ demandMean: 100, demandSd: 20, leadTime: 4, serviceLevel: 0.95, method: 'fillRate', orderQuantity: 50 })
const rop: number = fs.reorderPoint({ demandMean: 100, demandSd: 20, leadTime: 4, serviceLevel: 0.95, reviewPeriod: 1 })
const q: number = fs.eoq({ orderingCost: 8, holdingCost: 0.2, demandRate: 1300 }).orderQuantity
const cls: string = fs.abcClassify([3, 2, 1], { a: 0.8, b: 0.95 })[0].class
const rec: fs.Recommendation = fs.recommend({
  onHand: 10, leadTime: 2, unitCost: 1, holdingCostRate: 0.01,
  service: { kind: 'cycleService', value: 0.95 }, demand: { kind: 'forecast', means: [1, 2], errorSd: [1, 1] },
})
const sim: fs.SimulationReport = fs.simulatePolicy({
  policy: { kind: 'reorderPoint', reorderPoint: 10, orderQuantity: 20 },
  demand: { kind: 'poisson', mean: 2 },
  leadTime: { kind: 'roundedNormal', mean: 2, sd: 0.5 },
})
// @ts-expect-error a service target has a kind
fs.recommend({ onHand: 10, leadTime: 2, unitCost: 1, holdingCostRate: 0.01, service: { value: 0.95 }, demand: { kind: 'stationary', mean: 1, sd: 1 } })
const t: number = fs.welchTTest(y, [1, 2, 3]).pTwoSided + fs.ksTwoSample(y, y).pValue + fs.mase(y, y, y, 1)
const next: number = fs.cronNext('0 6 * * *', 'Europe/Berlin', Date.now())

async function controlled(): Promise<void> {
  const controller = new AbortController()
  const onProgress = (done: number, total: number): void => console.log(done / total)
  await fs.forecastBatch([{ id: 'a', y }], { model: 'naive', h: 2, signal: controller.signal, onProgress })
  await fs.plan([{ sku: 'a', demand: y }], [{ sku: 'a', unitCost: 1, leadTime: 2 }], { signal: controller.signal, onProgress })
  const bt: fs.BacktestResult = await fs.backtest(y, { model: 'naive', h: 2, windows: 2, step: 1, signal: controller.signal })
  const many = await fs.backtestBatch([{ id: 'a', y }], { model: 'naive', h: 2, windows: 2, step: 1, onProgress })
  for (const entry of many) console.log('error' in entry ? entry.error.code : entry.metrics.mae, bt.coverage)
  // @ts-expect-error onProgress receives numbers
  await fs.forecastBatch([{ id: 'a', y }], { model: 'naive', h: 2, onProgress: (done: string) => done })
  // @ts-expect-error a signal is an AbortSignal
  await fs.forecastBatch([{ id: 'a', y }], { model: 'naive', h: 2, signal: true })
}

const ph: fs.DetectorRun = fs.pageHinkley(y, { delta: 0.1, threshold: 5 })
const cs: fs.DetectorRun = fs.cusum([0.1, -0.2], { target: 0, sigma: 1, k: 0.5, h: 4 })
const direction: 'up' | 'down' | undefined = ph.alarm?.direction ?? cs.alarm?.direction
const decision = fs.retrainDecision({
  baselineErrors: y, recentErrors: [1, 2, 3], recentMape: 12, modelAgeDays: 3,
  policy: { maxMape: null, driftTest: 'both', driftAlpha: 0.01 },
})
for (const reason of decision.reasons) if (reason.reason === 'error_drift') console.log(reason.pValue, reason.test)
// @ts-expect-error the drift test is one of three names
fs.retrainDecision({ baselineErrors: y, recentErrors: y, policy: { driftTest: 'sometimes' } })

const registry = new fs.Registry({ metric: 'mae', minRelativeImprovement: 0.05 })
const promotion: fs.PromotionDecision = registry.promoteIfBetter('a', {
  model: new fs.SeasonalNaive({ seasonLength: 12 }), metrics: { mase: 0.8, other: { coverage: 0.9 } },
  trainedAt: new Date(), window: { observations: 48, start: '2024-01-01T00:00:00Z' },
})
registry.promoteIfBetter('a', { model: 'naive', metrics: {}, trainedAt: Date.now(), window: { observations: 10 } })
const champion: fs.ModelRecord | null = registry.champion('a')
const restored: fs.Registry = fs.Registry.fromJson(registry.toJson())
console.log(promotion.promoted, champion?.version, restored.skus(), registry.history().length, registry.prune(3), registry.policy.metric)
// @ts-expect-error trainedAt is required
registry.promoteIfBetter('a', { model: 'naive', metrics: {}, window: { observations: 10 } })

const log = new fs.AuditLog()
const record: fs.AuditRecord = log.append('decision', { sku: 'a' }, new Date())
const ok: boolean = log.verify() && log.verifyHead(log.headHash)
console.log(record.hash, ok, log.length, fs.AuditLog.fromJsonl(log.toJsonl()).records())
// @ts-expect-error unknown audit kind
log.append('coffee', {})

const conformal = new fs.Conformal({ base: new fs.CrostonSBA(), seasonLength: 1, windows: 8 })
const cfc: fs.ForecastResult = conformal.forecast(y, 3, [90])
new fs.Conformal({ base: { model: 'ets', spec: 'ANN' } }).fit(y)
new fs.Ensemble({ seasonLength: 12, members: [new fs.AutoETS(), 'naive'], scheme: { scheme: 'inverseError', metric: 'mase', floor: 0.05 } }).fit(y)
// @ts-expect-error unknown weighting scheme
new fs.Ensemble({ seasonLength: 12, scheme: { scheme: 'best' } })
// @ts-expect-error base is required
new fs.Conformal({ seasonLength: 12 })

async function retraining(): Promise<void> {
  const report: fs.RetrainReport = await fs.retrain([{ sku: 'a', demand: y }], registry, {
    seasonLength: 12, candidates: [new fs.Naive(), 'autoEts', { model: 'seasonalNaive', seasonLength: 12 }], now: new Date(),
  })
  for (const outcome of report.outcomes) console.log(outcome.sku, outcome.decision.promoted, outcome.scores[0].mase)
}

const daily = dailyPlanJob({
  load: async () => ({ histories: [{ sku: 'a', demand: y }], items: [{ sku: 'a', unitCost: 1, leadTime: 2 }] }),
  store: async (result) => console.log(result.stats.orders),
  audit: log,
  horizon: 4,
})
const weekly = weeklyRetrainJob({ load: () => ({ histories: [], registry }), store: (report, reg) => reg.save(String(report.outcomes.length)), seasonLength: 52 })
// @ts-expect-error load is required
dailyPlanJob({ store: () => undefined })

console.log(lower, ss, rop, q, cls, rec, sim, t, next, batch, controlled, direction, cfc, retraining, daily, weekly)

// The package entry also carries the scheduler.
const entryScheduler: fs.Scheduler = new fs.Scheduler()
entryScheduler.addJob('plan', '0 6 * * *', dailyPlanJob({ load: () => ({ histories: [], items: [] }), store: () => undefined }))
