'use strict'
// Fuzz test over option objects: random options (wrong types, missing fields, NaN, huge numbers,
// nested junk, extra keys) and random data to every model constructor, `fit`/`forecast`/`predict`,
// the decompositions, `forecastBatch`, `plan` and the inventory functions. Nothing may kill the
// process, and every failure must be an `Error` with a stable `code` (`ERR_...`). Seeded, so a
// failure reproduces; the iteration counts keep it under about 30 s (docs/reliability.md).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')

let state = 0x2545f491
function rand() {
  // xorshift32: deterministic across runs and platforms.
  state ^= state << 13
  state ^= state >>> 17
  state ^= state << 5
  return (state >>> 0) / 4294967296
}
const pick = (list) => list[Math.floor(rand() * list.length)]
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1))

const NUMBERS = [NaN, Infinity, -Infinity, -1, 0, 1, 2, 3, 4, 7, 12, 2.5, 52, 1e300, -1e300, 2 ** 31, 2 ** 53, 2 ** 64, -(2 ** 63), 4294967295, 5e-324]
const JUNK = [undefined, null, 'x', '', 'ZZZ', 'MAdM', 'periodic', 'additive', true, false, {}, [], [NaN], [1, 'a'], { a: { b: { c: [1, { d: null }] } } }, () => 1, 1n, new Date(0), Float64Array.from([1, 2])]
const KEYS = ['seasonLength', 'model', 'damped', 'alpha', 'beta', 'gamma', 'phi', 'ic', 'seasonality', 'alphaD', 'alphaP',
  'members', 'scheme', 'windows', 'horizon', 'trendForecaster', 'lambda', 'robust', 'base', 'seasonalWindow', 'inner', 'outer',
  'trendWindow', 'allowMultiplicativeTrend', 'restrict', 'memberIntervalFloor', 'additiveOnly', 'theta', 'extraKey', '__proto__x']

function value() {
  const r = rand()
  if (r < 0.45) return pick(NUMBERS)
  if (r < 0.75) return pick(JUNK)
  if (r < 0.85) return Array.from({ length: int(0, 3) }, () => pick(NUMBERS))
  if (r < 0.92) return pick([new fs.Naive(), 'naive', { model: 'seasonalNaive', seasonLength: pick(NUMBERS) }, { model: pick(JUNK) }])
  return { scheme: pick(['equal', 'inverseError', 'optimized', 'nope', 1]), metric: pick(['mae', 'mase', 7]), floor: pick(NUMBERS), shrinkage: pick(NUMBERS) }
}

function options(valid, maxJunk = 4) {
  if (rand() < 0.08) return pick(JUNK)
  const out = { ...valid }
  for (let k = int(0, maxJunk); k > 0; k--) out[pick(KEYS)] = value()
  if (rand() < 0.2) delete out[pick(Object.keys(out).concat(['seasonLength']))]
  return out
}

function series() {
  const r = rand()
  if (r < 0.1) return pick([[], null, undefined, 'abc', [NaN, 1], {}, [1, 'x', 3], Float64Array.from([])])
  const n = int(0, 60)
  const base = pick([0, 5, 100, 1e300, -3])
  const kind = rand()
  const values = Array.from({ length: n }, (_, t) => {
    if (kind < 0.15) return pick(NUMBERS)
    if (kind < 0.3) return base
    if (kind < 0.45) return rand() < 0.7 ? 0 : int(1, 9)
    return base + 10 * Math.sin((2 * Math.PI * t) / 7) + 3 * rand()
  })
  return rand() < 0.5 ? Float64Array.from(values) : values
}

function levels() {
  return pick([undefined, null, [], [80, 95], [95], [NaN], [0], [100], [-1], [1e300], 'x', [80, 'a'], Array(30).fill(50)])
}

function horizon() {
  return pick([1, 2, 4, 12, 0, -1, NaN, Infinity, 2.5, 1e9, 4294967295, 2 ** 53, 'x', null, undefined, 100001])
}

/** A printable description of any value (JSON.stringify fails on BigInt and skips functions). */
function show(v) {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : typeof x === 'function' ? '<fn>' : Number.isNaN(x) ? 'NaN' : x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : x))
  } catch {
    return String(v)
  }
}

let failures = []
let calls = 0
let outcomes = {}
function check(label, fn) {
  calls++
  let out
  try {
    out = fn()
  } catch (e) {
    record(label, e)
    return undefined
  }
  if (out instanceof Promise) return out.then(() => { outcomes.ok = (outcomes.ok ?? 0) + 1 }, (e) => record(label, e))
  outcomes.ok = (outcomes.ok ?? 0) + 1
  return out
}
function record(label, e) {
  const key = e && e.code ? String(e.code) : 'uncoded'
  outcomes[key] = (outcomes[key] ?? 0) + 1
  if (!(e instanceof Error) || typeof e.code !== 'string' || !/^ERR_[A-Z_]+$/.test(e.code)) {
    failures.push(`${label}: ${e instanceof Error ? `${e.constructor.name} code=${e.code} ${e.message}` : `non-Error ${String(e)}`}`)
  } else if (e.code === 'ERR_INTERNAL') {
    failures.push(`${label}: a Rust panic reached JS: ${e.message}`)
  }
}

function finite(label, result) {
  if (!result || !result.mean) return
  for (const v of result.mean) if (!Number.isFinite(v)) failures.push(`${label}: non-finite mean ${v}`)
  for (const iv of result.intervals) for (const v of [...iv.lower, ...iv.upper]) if (!Number.isFinite(v)) failures.push(`${label}: non-finite bound ${v}`)
}

const CLASSES = {
  Naive: {}, SeasonalNaive: { seasonLength: 4 }, ETS: { model: 'AAN' }, AutoETS: { seasonLength: 4 }, HoltWinters: { seasonLength: 4 },
  CrostonClassic: {}, CrostonOptimized: {}, CrostonSBA: {}, TSB: {}, ADIDA: {}, IMAPA: {}, Theta: { seasonLength: 4 },
  AutoTheta: { seasonLength: 4 }, AutoModel: { seasonLength: 7 }, MSTL: { seasonLength: [7, 14] },
  Ensemble: { seasonLength: 4, windows: 2 }, Conformal: { base: 'naive', windows: 2 }, STL: { seasonLength: 7 },
}

test('every model class survives random options and data with coded errors', (t) => {
  failures = []
  outcomes = {}
  calls = 0
  for (let i = 0; i < 3000; i++) {
    const name = pick(Object.keys(CLASSES))
    const opts = options(CLASSES[name])
    const model = check(`new ${name}(${show(opts)})`, () => new fs[name](opts))
    if (!model) continue
    const y = series()
    const label = `${name}(${show(opts)}) y.length=${y && y.length}`
    if (name === 'STL') {
      check(`${label}.decompose`, () => model.decompose(y))
      continue
    }
    if (name === 'MSTL' && rand() < 0.3) check(`${label}.decompose`, () => model.decompose(y))
    const h = horizon()
    const lv = levels()
    if (rand() < 0.5) {
      finite(`${label}.forecast(${h})`, check(`${label}.forecast(${h}, ${show(lv)})`, () => model.forecast(y, h, lv)))
    } else {
      const fit = check(`${label}.fit`, () => model.fit(y))
      if (fit) {
        finite(`${label}.predict(${h})`, check(`${label}.predict(${h}, ${show(lv)})`, () => fit.predict(h, lv)))
        check(`${label}.unusedPeriods`, () => fit.unusedPeriods)
      }
    }
  }
  t.diagnostic(`${calls} calls: ${show(outcomes)}`)
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures in ${calls} calls`)
})

test('forecastBatch and plan survive random options and data with coded errors', async (t) => {
  failures = []
  outcomes = {}
  calls = 0
  const pending = []
  for (let i = 0; i < 400; i++) {
    const batch = Array.from({ length: int(0, 3) }, (_, k) => (rand() < 0.05 ? pick(JUNK) : { id: rand() < 0.05 ? pick(JUNK) : `s${k}`, y: series() }))
    const model = pick(['naive', 'autoModel', 'seasonalNaive', 'mstl', 'croston_sba', 'autoEts', 'nope', 7])
    const opts = options({ model, h: rand() < 0.6 ? int(1, 8) : horizon(), levels: levels(), seasonLength: 4, periods: [4] }, 1)
    pending.push(check(`forecastBatch(${show(opts)})`, () => fs.forecastBatch(batch, opts)))
    const skus = ['a', 'b', 'a']
    const histories = Array.from({ length: int(0, 3) }, () => (rand() < 0.05 ? pick(JUNK) : { sku: pick(skus), demand: series() }))
    const items = Array.from({ length: int(0, 3) }, () =>
      rand() < 0.05 ? pick(JUNK) : options({ sku: pick(skus), unitCost: pick([1, 2, 2, ...NUMBERS]), leadTime: pick([1, 2, 2, ...NUMBERS]), onHand: pick([0, 5, ...NUMBERS]) }, 1))
    const planOptions = rand() < 0.05 ? pick(JUNK) : {
      horizon: rand() < 0.6 ? int(1, 8) : horizon(), levels: rand() < 0.5 ? [80, 95] : levels(), model: rand() < 0.6 ? undefined : value(),
      periodsPerYear: rand() < 0.7 ? 52 : pick(NUMBERS) }
    pending.push(check(`plan(${show(planOptions)})`, () => fs.plan(histories, items, planOptions)))
  }
  await Promise.all(pending)
  t.diagnostic(`${calls} calls: ${show(outcomes)}`)
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures in ${calls} calls`)
})

test('inventory functions survive random option objects with coded errors', (t) => {
  failures = []
  outcomes = {}
  calls = 0
  const kinds = ['normal', 'discrete', 'forecast', 'intermittent', 'cycleService', 'fillRate', 'reorderPoint', 'orderUpTo', 'nope']
  const nested = () => (rand() < 0.5 ? value() : { kind: pick(kinds), mean: pick(NUMBERS), sd: pick(NUMBERS), value: pick(NUMBERS), means: [pick(NUMBERS)], errorSd: [pick(NUMBERS)], periods: [1, pick(NUMBERS)], probabilities: [pick(NUMBERS)], probability: pick(NUMBERS), sizeMean: pick(NUMBERS), reorderPoint: pick(NUMBERS), orderQuantity: pick(NUMBERS) })
  for (let i = 0; i < 400; i++) {
    check('safetyStock', () => fs.safetyStock(options({ demandMean: 10, demandSd: 2, leadTime: 2, serviceLevel: 0.95 })))
    check('reorderPoint', () => fs.reorderPoint(options({ demandMean: 10, demandSd: 2, leadTime: 2, serviceLevel: 0.95, distribution: pick(kinds) })))
    check('eoq', () => fs.eoq(options({ orderingCost: 10, holdingCost: 1, demandRate: 100 })))
    check('abcClassify', () => fs.abcClassify(series(), options({ a: 0.8, b: 0.95 })))
    check('classifyDemand', () => fs.classifyDemand(series()))
    check('recommend', () => fs.recommend(options({ onHand: 1, leadTime: 2, unitCost: 1, service: nested(), demand: nested() })))
    check('simulatePolicy', () => fs.simulatePolicy(options({ policy: nested(), demand: nested(), leadTime: nested(), config: { periods: pick([10, 50, ...NUMBERS]), trials: pick([1, 2, ...NUMBERS]) } })))
  }
  t.diagnostic(`${calls} calls: ${show(outcomes)}`)
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures in ${calls} calls`)
})
