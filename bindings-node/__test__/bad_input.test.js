'use strict'
// A matrix of bad values for the drift, registry, audit, Conformal and controlled batch APIs: every
// call throws (or rejects with) an Error, none crashes the process; coded where the value reached
// forestock, napi's own type errors otherwise.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')

const junk = [undefined, null, NaN, Infinity, -1, 0, 2.5, '', 'abc', [], [NaN], ['a'], {}, { length: 2 }, () => 1, Symbol('s'), new Int32Array(2), new Float64Array(0), true]
const good = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
const at = new Date('2026-01-01T00:00:00Z')

function failsWithError(fn, label) {
  let outcome
  try {
    outcome = fn()
  } catch (err) {
    assert.ok(err instanceof Error, `${label}: threw a non-Error ${String(err)}`)
    return null
  }
  return outcome
}

function sanity() {
  // The addon still works after all of the above.
  assert.equal(fs.mae([1, 2], [1, 3]), 0.5)
}

test('drift functions', () => {
  for (const v of junk) {
    failsWithError(() => fs.pageHinkley(v, { delta: 0.1, threshold: 1 }), 'pageHinkley errors')
    failsWithError(() => fs.pageHinkley(good, { delta: v, threshold: v }), 'pageHinkley options')
    failsWithError(() => fs.cusum(v, { target: 0, sigma: 1 }), 'cusum errors')
    failsWithError(() => fs.cusum(good, { target: v, sigma: v, k: v, h: v }), 'cusum options')
    failsWithError(() => fs.retrainDecision(v), 'retrainDecision input')
    failsWithError(() => fs.retrainDecision({ baselineErrors: v, recentErrors: good }), 'retrainDecision baseline')
    failsWithError(() => fs.retrainDecision({ baselineErrors: good, recentErrors: good, recentMape: v, modelAgeDays: v }), 'retrainDecision numbers')
    failsWithError(() => fs.retrainDecision({ baselineErrors: good, recentErrors: good, policy: v }), 'retrainDecision policy')
    failsWithError(() => fs.retrainDecision({ baselineErrors: good, recentErrors: good, policy: { driftAlpha: v, minDriftWindow: v } }), 'retrainDecision policy fields')
  }
  sanity()
})

test('registry, audit log and Conformal', () => {
  const registry = new fs.Registry()
  const log = new fs.AuditLog()
  for (const v of junk) {
    failsWithError(() => new fs.Registry(v), 'Registry policy')
    failsWithError(() => registry.promoteIfBetter(v, { model: 'naive', metrics: { mase: 1 }, trainedAt: at, window: { observations: 3 } }), 'sku')
    failsWithError(() => registry.promoteIfBetter('a', v), 'challenger')
    failsWithError(() => registry.promoteIfBetter('a', { model: v, metrics: v, trainedAt: v, window: v }), 'challenger fields')
    failsWithError(() => registry.promoteIfBetter('a', { model: 'naive', metrics: { mase: v }, trainedAt: at, window: { observations: v } }), 'challenger values')
    failsWithError(() => registry.champion(v), 'champion')
    failsWithError(() => registry.prune(v), 'prune')
    failsWithError(() => fs.Registry.fromJson(v), 'fromJson')
    failsWithError(() => log.append(v, v, v), 'append')
    failsWithError(() => fs.AuditLog.fromJsonl(v), 'fromJsonl')
    failsWithError(() => log.verifyHead(v), 'verifyHead')
    failsWithError(() => new fs.Conformal(v), 'Conformal options')
    failsWithError(() => new fs.Conformal({ base: v, seasonLength: v, windows: v, horizon: v }), 'Conformal fields')
  }
  // Whatever was accepted above left valid structures behind.
  fs.Registry.fromJson(registry.toJson())
  assert.equal(log.verify(), true)
  sanity()
})

test('controlled batch calls and retrain reject or throw, never crash', async () => {
  const series = [{ id: 'a', y: good }]
  const registry = new fs.Registry()
  for (const v of junk) {
    const calls = [
      () => fs.forecastBatch(series, { model: 'naive', h: 2, signal: v, onProgress: v }),
      () => fs.forecastBatch(series, v),
      () => fs.backtest(good, { model: 'naive', h: 2, windows: v, step: 1, signal: v }),
      () => fs.backtestBatch(v, { model: 'naive', h: 2, windows: 2, step: 1 }),
      () => fs.plan(v, [], { onProgress: v }),
      () => fs.retrain([{ sku: 'a', demand: good }], registry, { seasonLength: v, candidates: v, now: v, windows: v }),
      () => fs.retrain(v, registry, {}),
    ]
    for (const [i, call] of calls.entries()) {
      const pending = failsWithError(call, `call ${i}`)
      if (pending instanceof Promise) {
        await pending.then(
          () => {},
          (err) => assert.ok(err instanceof Error, `call ${i} rejected with a non-Error`),
        )
      }
    }
  }
  sanity()
})
