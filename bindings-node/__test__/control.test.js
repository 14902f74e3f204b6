'use strict'
// options.signal (AbortSignal) and options.onProgress on the Promise-returning batch calls.
const test = require('node:test')
const assert = require('node:assert/strict')
const { getEventListeners } = require('node:events')
const fs = require('..')

function seasonal(n, phase) {
  return Float64Array.from({ length: n }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * (t + phase)) / 12) + (t % 5))
}

const naiveBatch = { model: 'seasonalNaive', seasonLength: 12, h: 3 }
const items = [{ sku: 'a', unitCost: 2, leadTime: 2, holdingCostRate: 0.01 }]

function isAbort(err) {
  assert.ok(err instanceof Error)
  assert.equal(err.name, 'AbortError')
  assert.equal(err.code, 'ERR_CANCELLED')
  assert.match(err.message, /cancelled/)
  return true
}

function rejectsCode(promise, code, pattern) {
  return assert.rejects(promise, (err) => {
    assert.ok(err instanceof Error)
    assert.equal(err.code, code)
    if (pattern) assert.match(err.message, pattern)
    return true
  })
}

test('an already aborted signal rejects every batch call without doing work', async () => {
  const controller = new AbortController()
  controller.abort()
  const { signal } = controller
  let calls = 0
  const onProgress = () => { calls += 1 }
  const series = [{ id: 'a', y: seasonal(36, 0) }]
  await assert.rejects(fs.forecastBatch(series, { ...naiveBatch, signal, onProgress }), isAbort)
  await assert.rejects(fs.plan([{ sku: 'a', demand: seasonal(60, 0) }], items, { signal, onProgress }), isAbort)
  await assert.rejects(fs.backtest(seasonal(36, 0), { model: 'naive', h: 2, windows: 2, step: 1, signal, onProgress }), isAbort)
  await assert.rejects(fs.backtestBatch(series, { model: 'naive', h: 2, windows: 2, step: 1, signal, onProgress }), isAbort)
  // An aborted signal wins over invalid settings: nothing is parsed or computed.
  await assert.rejects(fs.forecastBatch(series, { model: 'noSuchModel', h: 0, signal }), isAbort)
  assert.equal(calls, 0)
})

test('aborting mid-run stops a 20,000-series AutoETS batch early', async () => {
  const total = 20000
  const series = Array.from({ length: total }, (_, i) => ({ id: `sku-${i}`, y: seasonal(60, i % 12) }))
  const controller = new AbortController()
  const reports = []
  let firstReportAt = 0
  const started = performance.now()
  const pending = fs.forecastBatch(series, {
    model: 'autoEts',
    seasonLength: 12,
    h: 6,
    signal: controller.signal,
    onProgress: (done, n) => {
      reports.push([done, n])
      if (reports.length === 1) {
        firstReportAt = performance.now()
        controller.abort()
      }
    },
  })
  await assert.rejects(pending, isAbort)
  const settledAt = performance.now()
  assert.ok(reports.length >= 1, 'at least one progress report before the abort')
  assert.deepEqual(reports[0], [total / 100, total], 'the first report is at 1 %')
  const lastDone = reports[reports.length - 1][0]
  assert.ok(lastDone < total, `progress stopped at ${lastDone} of ${total}`)
  // 1 % took `firstReportAt - started`; the whole batch would take about 100 times that. After the
  // abort each worker finishes at most the series it is on, so the rejection comes much sooner.
  const onePercent = firstReportAt - started
  const afterAbort = settledAt - firstReportAt
  assert.ok(afterAbort < 10 * onePercent + 200, `settled ${afterAbort.toFixed(0)} ms after the abort (1 % took ${onePercent.toFixed(0)} ms)`)
  // The listener added to the signal is removed once the job settled, and no report comes late.
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0)
  const count = reports.length
  await new Promise((resolve) => setTimeout(resolve, 50))
  assert.equal(reports.length, count)
})

test('progress is monotone, at most ~100 calls, and ends with (total, total) before the Promise resolves', async () => {
  const total = 1234
  const series = Array.from({ length: total }, (_, i) => ({ id: `s${i}`, y: seasonal(48, i % 12) }))
  const reports = []
  const out = await fs.forecastBatch(series, { ...naiveBatch, onProgress: (done, n) => reports.push([done, n]) })
  assert.equal(out.length, total)
  assert.ok(reports.length >= 1 && reports.length <= 101, `${reports.length} calls`)
  assert.ok(reports.every(([, n]) => n === total))
  for (let i = 1; i < reports.length; i++) assert.ok(reports[i][0] > reports[i - 1][0], `report ${i} is not increasing`)
  assert.deepEqual(reports[reports.length - 1], [total, total])
  // No late report arrives after the Promise resolved.
  const count = reports.length
  await new Promise((resolve) => setTimeout(resolve, 50))
  assert.equal(reports.length, count)
})

test('plan and backtestBatch report progress per SKU / series; backtest per series', async () => {
  const histories = Array.from({ length: 7 }, (_, i) => ({ sku: `p${i}`, demand: seasonal(60, i) }))
  const planItems = histories.map((h) => ({ sku: h.sku, unitCost: 1, leadTime: 2, holdingCostRate: 0.01 }))
  const planReports = []
  const planned = await fs.plan(histories, planItems, { model: 'naive', onProgress: (d, n) => planReports.push([d, n]) })
  assert.equal(planned.stats.skus, 7)
  assert.deepEqual(planReports.at(-1), [7, 7])
  assert.ok(planReports.every(([d, n], i) => n === 7 && (i === 0 || d > planReports[i - 1][0])))

  const series = histories.map((h) => ({ id: h.sku, y: h.demand }))
  const btReports = []
  const options = { model: 'naive', h: 2, windows: 3, step: 1 }
  const batch = await fs.backtestBatch(series, { ...options, onProgress: (d, n) => btReports.push([d, n]) })
  assert.deepEqual(btReports.at(-1), [7, 7])
  const single = []
  const one = await fs.backtest(series[2].y, { ...options, onProgress: (d, n) => single.push([d, n]) })
  assert.deepEqual(single, [[1, 1]])
  assert.deepEqual({ ...batch[2], id: undefined }, { ...one, id: undefined })
  assert.equal(batch[2].id, 'p2')
})

test('a signal that is never aborted changes nothing and keeps no listener', async () => {
  const controller = new AbortController()
  let userHandler = 0
  controller.signal.onabort = () => { userHandler += 1 }
  const before = getEventListeners(controller.signal, 'abort').length // the onabort handler
  const series = [{ id: 'a', y: seasonal(36, 0) }, { id: 'b', y: seasonal(36, 5) }]
  const plain = await fs.forecastBatch(series, naiveBatch)
  const withSignal = await fs.forecastBatch(series, { ...naiveBatch, signal: controller.signal })
  assert.deepEqual(withSignal, plain)
  assert.equal(getEventListeners(controller.signal, 'abort').length, before)
  controller.abort()
  assert.equal(userHandler, 1, "the caller's own onabort handler is left alone")
})

test('bad signal or onProgress values reject with coded errors', async () => {
  const series = [{ id: 'a', y: seasonal(36, 0) }]
  await rejectsCode(fs.forecastBatch(series, { ...naiveBatch, signal: 'stop' }), 'ERR_INVALID_PARAMETER', /`signal`/)
  await rejectsCode(fs.forecastBatch(series, { ...naiveBatch, signal: {} }), 'ERR_INVALID_PARAMETER', /`signal`/)
  await rejectsCode(fs.forecastBatch(series, { ...naiveBatch, onProgress: 42 }), 'ERR_INVALID_PARAMETER', /`onProgress`/)
  await rejectsCode(fs.plan([{ sku: 'a', demand: seasonal(60, 0) }], items, { onProgress: 'x' }), 'ERR_INVALID_PARAMETER', /`onProgress`/)
  await rejectsCode(fs.forecastBatch(series, { ...naiveBatch, extra: () => 1 }), 'ERR_INVALID_PARAMETER', /`extra`/)
  // null / undefined mean "not given".
  const out = await fs.forecastBatch(series, { ...naiveBatch, signal: null, onProgress: undefined, levels: undefined })
  assert.equal(out.length, 1)
})

test('retrain reports progress per SKU, and an abort rejects and leaves the registry unchanged', async () => {
  const histories = Array.from({ length: 300 }, (_, k) => ({ sku: `s${k}`, demand: seasonal(96, k % 12) }))
  const registry = new fs.Registry()
  const seen = []
  const report = await fs.retrain(histories.slice(0, 12), registry, { seasonLength: 12, onProgress: (done, total) => seen.push([done, total]) })
  assert.equal(report.outcomes.length, 12)
  assert.deepEqual(seen.at(-1), [12, 12])
  assert.ok(seen.every(([done], i) => i === 0 || done > seen[i - 1][0]), 'progress strictly increasing')
  assert.equal(registry.skus().length, 12)

  const untouched = new fs.Registry()
  const controller = new AbortController()
  await assert.rejects(
    fs.retrain(histories, untouched, { seasonLength: 12, signal: controller.signal, onProgress: () => controller.abort() }),
    isAbort,
  )
  assert.deepEqual(untouched.skus(), [])
  assert.deepEqual(untouched.history(), [])
  const aborted = AbortSignal.abort()
  await assert.rejects(fs.retrain(histories, untouched, { seasonLength: 12, signal: aborted }), isAbort)
})

function longSeasonal(n) {
  return Float64Array.from({ length: n }, (_, t) => 200 + 20 * Math.abs((t % 12) - 6) + ((t * 7919) % 13) / 2)
}

test('fitAsync resolves to the same model as fit, off the JS thread', async () => {
  const y = seasonal(120, 0)
  for (const model of [new fs.AutoETS({ seasonLength: 12 }), new fs.Ensemble({ seasonLength: 12 }), new fs.Naive()]) {
    const sync = model.fit(y)
    const fit = await model.fitAsync(y)
    assert.ok(fit instanceof fs.FittedModel)
    assert.equal(fit.description, sync.description)
    assert.deepEqual(fit.predict(6, [95]), sync.predict(6, [95]))
  }
  await rejectsCode(new fs.AutoETS({ seasonLength: 12 }).fitAsync([1, Number.NaN, 3]), 'ERR_INVALID_SERIES', /index 1/)
  await rejectsCode(new fs.Naive().fitAsync(y, { horizon: 3 }), 'ERR_INVALID_PARAMETER', /horizon/)
})

test('an abort stops a long single fit within one objective evaluation', async () => {
  // Uninterrupted, this AutoETS search takes several seconds; the JS thread stays free meanwhile.
  const y = longSeasonal(300_000)
  for (const model of [new fs.AutoETS({ seasonLength: 12 }), new fs.HoltWinters({ seasonLength: 12 })]) {
    const controller = new AbortController()
    let ticks = 0
    const ticker = setInterval(() => { ticks += 1 }, 10)
    const started = Date.now()
    setTimeout(() => controller.abort(), 300)
    try {
      await assert.rejects(model.fitAsync(y, { signal: controller.signal }), isAbort)
    } finally {
      clearInterval(ticker)
    }
    const elapsed = Date.now() - started
    assert.ok(elapsed < 2300, `stopped ${elapsed} ms after the start`)
    assert.ok(ticks >= 10, `the event loop ran only ${ticks} timer ticks during the fit`)
  }
  const controller = new AbortController()
  controller.abort()
  await assert.rejects(new fs.AutoETS({ seasonLength: 12 }).fitAsync(seasonal(48, 0), { signal: controller.signal }), isAbort)
})
