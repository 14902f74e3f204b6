'use strict'
// Registry (champion/challenger records), AuditLog (hash chain) and retrain (the weekly job).
const test = require('node:test')
const assert = require('node:assert/strict')
const os = require('node:os')
const path = require('node:path')
const fsys = require('node:fs')
const fs = require('..')
const { FIXTURES, throwsCode } = require('./helpers')

const at = new Date('2026-02-01T00:00:00Z')
const challenger = (mase, extra = {}) => ({
  model: new fs.SeasonalNaive({ seasonLength: 12 }),
  metrics: { mase, mae: 3.5 },
  trainedAt: at,
  window: { observations: 48, start: '2022-02-01T00:00:00Z', end: at },
  ...extra,
})

function tmpFile(name) {
  const dir = fsys.mkdtempSync(path.join(os.tmpdir(), 'forestock-'))
  return path.join(dir, name)
}

test('promotion rule: first model, insufficient improvement kept as challenger, clear improvement promoted', () => {
  const r = new fs.Registry()
  assert.deepEqual(r.policy, { metric: 'mase', minRelativeImprovement: 0.02 })
  const first = r.promoteIfBetter('SKU-1', challenger(0.9))
  assert.equal(first.promoted, true)
  assert.deepEqual(first.reason, { outcome: 'no_champion' })
  assert.equal(first.challengerVersion, 1)
  const small = r.promoteIfBetter('SKU-1', challenger(0.89, { model: 'naive' }))
  assert.equal(small.promoted, false)
  assert.equal(small.reason.outcome, 'insufficient_improvement')
  assert.ok(Math.abs(small.reason.relativeImprovement - (0.9 - 0.89) / 0.9) < 1e-15)
  assert.equal(small.championVersion, 1)
  const big = r.promoteIfBetter('SKU-1', challenger(0.8, { model: { model: 'ets', spec: 'ANN' } }))
  assert.equal(big.promoted, true)
  assert.equal(big.reason.outcome, 'improved')
  const champion = r.champion('SKU-1')
  assert.equal(champion.version, 3)
  assert.equal(champion.spec.model, 'ets')
  assert.equal(champion.spec.spec, 'ANN')
  assert.equal(champion.createdAt, '2026-02-01T00:00:00Z')
  assert.deepEqual(champion.trainingWindow, { observations: 48, start: '2022-02-01T00:00:00Z', end: '2026-02-01T00:00:00Z' })
  assert.equal(r.champion('nope'), null)
  assert.deepEqual(r.skus(), ['SKU-1'])
  assert.deepEqual(r.history().map((d) => d.promoted), [true, false, true])
  // One challenger (v2) and one retired champion (v1): keep 0 drops both.
  assert.equal(r.prune(0), 2)
  assert.equal(r.prune(0), 0)
  assert.equal(r.champion('SKU-1').version, 3)
  const strict = new fs.Registry({ metric: 'mae', minRelativeImprovement: 0.5 })
  strict.promoteIfBetter('A', challenger(1, { metrics: { mae: 10 } }))
  assert.equal(strict.promoteIfBetter('A', challenger(1, { metrics: { mae: 6 } })).promoted, false)
  assert.equal(strict.promoteIfBetter('A', challenger(1, { metrics: { mae: 4 } })).promoted, true)
})

test('registry JSON round trip, file round trip, and the v1 schema migration', () => {
  const r = new fs.Registry({ minRelativeImprovement: 0.05 })
  r.promoteIfBetter('A', challenger(0.9, { fittedState: { alpha: 0.3, note_key: 'kept as given' } }))
  r.promoteIfBetter('B', challenger(1.1, { metrics: { mase: 1.1, other: { coverage_95: 0.93 } } }))
  r.promoteIfBetter('A', challenger(0.5))
  const text = r.toJson()
  assert.equal(JSON.parse(text).schema_version, 2)
  const back = fs.Registry.fromJson(text)
  assert.equal(back.toJson(), text)
  assert.deepEqual(back.history(), r.history())
  assert.deepEqual(back.policy, { metric: 'mase', minRelativeImprovement: 0.05 })
  assert.deepEqual(r.champion('B').metrics, { mase: 1.1, other: { coverage_95: 0.93 } })
  const file = tmpFile('registry.json')
  r.save(file)
  // The saved file is the registry at its next revision (the optimistic version check of `save`).
  assert.equal(r.revision, 1)
  assert.equal(fs.Registry.load(file).toJson(), r.toJson())
  assert.equal(r.toJson(), text.replace('"revision": 0', '"revision": 1'))

  const v1 = fs.Registry.load(path.join(FIXTURES, 'registry', 'registry_v1.json'))
  assert.deepEqual(v1.skus(), ['SKU-0001', 'SKU-0002'])
  const c = v1.champion('SKU-0001')
  assert.equal(c.version, 2)
  assert.deepEqual(c.metrics, { mase: 0.84, mape: 17.5, other: { coverage_95: 0.93 } })
  assert.equal(c.trainingWindow.observations, 60)
})

test('registry bad input gives coded errors', () => {
  const r = new fs.Registry()
  throwsCode(() => r.promoteIfBetter('A', { ...challenger(0.9), metrics: undefined }), 'ERR_INVALID_PARAMETER', /metrics/)
  throwsCode(() => r.promoteIfBetter('A', challenger(NaN)), 'ERR_INVALID_PARAMETER', /metrics.*non-finite/)
  throwsCode(() => r.promoteIfBetter('A', challenger(-Infinity)), 'ERR_INVALID_PARAMETER', /metrics.*non-finite/)
  throwsCode(() => r.promoteIfBetter('A', challenger(0.9, { trainedAt: 'yesterday' })), 'ERR_INVALID_PARAMETER', /trainedAt/)
  throwsCode(() => r.promoteIfBetter('A', challenger(0.9, { trainedAt: new Date('nope') })), 'ERR_INVALID_PARAMETER', /trainedAt/)
  throwsCode(() => r.promoteIfBetter('A', challenger(0.9, { model: 'noSuchModel' })), 'ERR_INVALID_PARAMETER', /model/)
  throwsCode(() => r.promoteIfBetter('A', challenger(0.9, { model: 42 })), 'ERR_INVALID_PARAMETER', /model/)
  throwsCode(() => r.promoteIfBetter('A', challenger(0.9, { window: { observations: -3 } })), 'ERR_INVALID_PARAMETER', /observations/)
  throwsCode(() => r.promoteIfBetter('A', challenger(0.9, { window: undefined })), 'ERR_INVALID_PARAMETER', /window/)
  throwsCode(() => r.promoteIfBetter(' ', challenger(0.9)), 'ERR_INVALID_PARAMETER', /sku/)
  assert.deepEqual(r.skus(), [], 'nothing was stored by the failed calls')
  throwsCode(() => new fs.Registry({ metric: 'accuracy' }), 'ERR_INVALID_PARAMETER', /policy/)
  throwsCode(() => fs.Registry.fromJson('{ not json'), 'ERR_SERIALIZATION')
  throwsCode(() => fs.Registry.fromJson('{"schema_version": 9}'), 'ERR_CORRUPT_RECORD', /schema_version/)
  throwsCode(() => fs.Registry.load(path.join(os.tmpdir(), 'forestock-missing', 'nope.json')), 'ERR_IO')
  assert.throws(() => r.promoteIfBetter('A'), Error)
  throwsCode(() => r.prune(-1), 'ERR_INVALID_PARAMETER', /keep/)
  throwsCode(() => r.prune(1.5), 'ERR_INVALID_PARAMETER', /keep/)
})

test('audit log: append, verify, head hash, JSON lines and file round trip', () => {
  const log = new fs.AuditLog()
  assert.equal(log.length, 0)
  assert.equal(log.headHash, '0'.repeat(64))
  const first = log.append('run', { job: 'daily_plan', skus: 1200 }, at)
  assert.equal(first.seq, 0)
  assert.equal(first.prevHash, '0'.repeat(64))
  assert.match(first.hash, /^[0-9a-f]{64}$/)
  assert.deepEqual(first.payload, { job: 'daily_plan', skus: 1200 }, 'payload keys are not renamed')
  const second = log.append('decision', { sku: 'A-1', retrain: true }, at.getTime() + 1000)
  assert.equal(second.prevHash, first.hash)
  log.append('note', 'free text', '2026-02-01T00:00:02Z')
  assert.equal(log.length, 3)
  assert.equal(log.headHash, log.records()[2].hash)
  assert.equal(log.verify(), true)
  assert.equal(log.verifyHead(log.headHash), true)
  const back = fs.AuditLog.fromJsonl(log.toJsonl())
  assert.deepEqual(back.records(), log.records())
  const file = tmpFile('audit.jsonl')
  log.save(file)
  assert.equal(fs.AuditLog.load(file).headHash, log.headHash)
})

test('audit log: tampering, truncation and bad input are detected with coded errors', () => {
  const log = new fs.AuditLog()
  for (let i = 0; i < 4; i++) log.append('run', { run: i, orders: 10 * i }, at.getTime() + i * 1000)
  const lines = log.toJsonl().trim().split('\n')

  const altered = lines.map((l, i) => (i === 2 ? l.replace('"orders":20', '"orders":21') : l)).join('\n')
  assert.notEqual(altered, lines.join('\n'))
  const tampered = fs.AuditLog.fromJsonl(altered)
  throwsCode(() => tampered.verify(), 'ERR_CORRUPT_RECORD', /seq 2.*altered/)

  const removed = fs.AuditLog.fromJsonl(lines.filter((_, i) => i !== 1).join('\n'))
  throwsCode(() => removed.verify(), 'ERR_CORRUPT_RECORD', /seq 1/)

  const truncated = fs.AuditLog.fromJsonl(lines.slice(0, 3).join('\n'))
  assert.equal(truncated.verify(), true, 'a cut tail is a valid shorter chain ...')
  throwsCode(() => truncated.verifyHead(log.headHash), 'ERR_CORRUPT_RECORD', /head/) // ... caught by the kept head

  throwsCode(() => fs.AuditLog.fromJsonl('{"seq": 0}\n'), 'ERR_CORRUPT_RECORD', /line 1/)
  throwsCode(() => log.append('coffee', {}), 'ERR_INVALID_PARAMETER', /kind/)
  throwsCode(() => log.append('run', {}, at), 'ERR_INVALID_PARAMETER', /timestamp/) // earlier than the last record
  throwsCode(() => log.append('run', {}, 'soon'), 'ERR_INVALID_PARAMETER', /timestamp/)
  throwsCode(() => log.append('run', { f: () => 1 }), 'ERR_INVALID_PARAMETER', /payload/)
  assert.equal(log.length, 4)
})

const seasonal = Float64Array.from({ length: 60 }, (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7) % 5))
const intermittent = Float64Array.from({ length: 60 }, (_, t) => (t % 7 === 3 ? 4 + (t % 3) : 0))

test('retrain promotes on the first run, keeps on a repeat, and isolates a bad SKU', async () => {
  const registry = new fs.Registry()
  const histories = [
    { sku: 'seasonal', demand: seasonal },
    { sku: 'broken', demand: [1, 2, NaN, 4, 5, 6, 7, 8, 9, 10] },
    { sku: 'sporadic', demand: Array.from(intermittent) },
  ]
  const options = { seasonLength: 12, now: at }
  const first = await fs.retrain(histories, registry, options)
  assert.deepEqual(first.outcomes.map((o) => o.sku), ['seasonal', 'sporadic'])
  assert.ok(first.outcomes.every((o) => o.decision.promoted && o.decision.reason.outcome === 'no_champion'))
  assert.deepEqual(first.outcomes[0].scores.map((s) => s.model), ['auto_model', 'auto_ets', 'croston_sba', 'tsb', 'naive'])
  assert.deepEqual(first.failures.map((f) => f.sku), ['broken'])
  assert.equal(first.failures[0].code, 'ERR_FIT_FAILED')
  assert.deepEqual(registry.skus(), ['seasonal', 'sporadic'])
  const champion = registry.champion('seasonal')
  const best = Math.min(...first.outcomes[0].scores.map((s) => s.mase ?? Infinity))
  assert.equal(champion.metrics.mase, best)
  assert.equal(champion.createdAt, '2026-02-01T00:00:00Z')

  // Same data again: the same scores, no improvement, the champions stay.
  const second = await fs.retrain(histories, registry, { ...options, now: new Date('2026-02-08T00:00:00Z') })
  assert.ok(second.outcomes.every((o) => !o.decision.promoted && o.decision.reason.outcome === 'insufficient_improvement'))
  assert.equal(registry.champion('seasonal').version, 1)
  assert.equal(registry.history().length, 4)

  // Custom candidates and design.
  const custom = await fs.retrain([{ sku: 'x', demand: seasonal }], new fs.Registry(), {
    candidates: [new fs.SeasonalNaive({ seasonLength: 12 }), 'naive'],
    h: 2,
    windows: 3,
    now: at,
  })
  assert.deepEqual(custom.outcomes[0].scores.map((s) => s.model), ['seasonal_naive', 'naive'])
})

test('retrain rejects bad options with codes and refuses to overwrite a concurrent change', async () => {
  const registry = new fs.Registry()
  const histories = [{ sku: 'seasonal', demand: seasonal }]
  const rejects = (options, pattern) =>
    assert.rejects(fs.retrain(histories, registry, options), (err) => {
      assert.equal(err.code, 'ERR_INVALID_PARAMETER')
      assert.match(err.message, pattern)
      return true
    })
  await rejects({ candidates: [] }, /candidates/)
  await rejects({ candidates: ['noSuchModel'] }, /candidates\[0\]/)
  await rejects({ seasonLength: 0 }, /seasonLength/)
  await rejects({ windows: 0 }, /windows/)
  await rejects({ now: 'later' }, /now/)
  await rejects({ horizon: 4 }, /horizon/)
  assert.throws(() => fs.retrain(histories, {}, {}), Error)

  const pending = fs.retrain(histories, registry, { now: at })
  registry.promoteIfBetter('other', challenger(0.7)) // changes the registry while the job runs
  await assert.rejects(pending, (err) => {
    assert.equal(err.code, 'ERR_INVALID_PARAMETER')
    assert.match(err.message, /registry.*changed while retrain ran/)
    return true
  })
  assert.deepEqual(registry.skus(), ['other'], 'the stale result was not applied')
})

test('retrain is deterministic: fresh registries get identical reports and JSON', async () => {
  const histories = Array.from({ length: 12 }, (_, i) => ({ sku: `s${i}`, demand: seasonal.map((v, t) => v + ((t * (i + 3)) % 7)) }))
  const run = async () => {
    const registry = new fs.Registry()
    const report = await fs.retrain(histories, registry, { seasonLength: 12, now: at })
    return [report, registry.toJson()]
  }
  const [a, b] = await Promise.all([run(), run()])
  assert.deepEqual(a, b)
})
