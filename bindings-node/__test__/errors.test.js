'use strict'
// Bad input throws an Error with a stable code; bad JS types throw, never crash the process.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')

const good = Float64Array.from({ length: 24 }, (_, i) => i + 1)

function throwsCode(fn, code, pattern) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error)
    assert.equal(err.code, code)
    if (pattern) assert.match(err.message, pattern)
    return true
  })
}

test('invalid series values', () => {
  const m = new fs.SeasonalNaive({ seasonLength: 4 })
  throwsCode(() => m.fit(Float64Array.from([1, NaN, 3, 4, 5])), 'ERR_INVALID_SERIES', /index 1/)
  throwsCode(() => m.fit(Float64Array.from([1, 2, Infinity, 4, 5])), 'ERR_INVALID_SERIES', /index 2/)
  throwsCode(() => m.fit(new Float64Array(0)), 'ERR_INVALID_SERIES', /empty/)
  throwsCode(() => m.fit(Float64Array.from([1, 2])), 'ERR_INVALID_SERIES', /too short/)
})

test('invalid parameters', () => {
  const fit = new fs.Naive().fit(good)
  throwsCode(() => fit.predict(0), 'ERR_INVALID_PARAMETER', /`h`/)
  throwsCode(() => fit.predict(-1), 'ERR_INVALID_PARAMETER', /`h`/)
  throwsCode(() => fit.predict(2.5), 'ERR_INVALID_PARAMETER', /`h`/)
  throwsCode(() => fit.predict(3, [100]), 'ERR_INVALID_PARAMETER', /`level`/)
  throwsCode(() => fit.predict(3, [80, 0]), 'ERR_INVALID_PARAMETER', /`level`/)
  throwsCode(() => new fs.SeasonalNaive({ seasonLength: 0 }).fit(good), 'ERR_INVALID_PARAMETER', /season_length/)
  throwsCode(() => new fs.SeasonalNaive({ seasonLength: -1 }), 'ERR_INVALID_PARAMETER')
  throwsCode(() => new fs.SeasonalNaive({ seasonLength: 2.5 }), 'ERR_INVALID_PARAMETER')
})

test('wrong JS types throw instead of crashing', () => {
  const m = new fs.Naive()
  for (const bad of ['abc', 42, null, undefined, { length: 3 }, ['a', 'b'], new Int32Array(3)]) {
    assert.throws(() => m.fit(bad), Error)
  }
  assert.throws(() => new fs.SeasonalNaive(), Error)
  assert.throws(() => new fs.SeasonalNaive({}), Error)
  assert.throws(() => new fs.SeasonalNaive({ seasonLength: '12' }), Error)
  const fit = m.fit(good)
  assert.throws(() => fit.predict('3'), Error)
  assert.throws(() => fit.predict(3, 'x'), Error)
  assert.throws(() => fit.predict(3, ['x']), Error)
})

test('wrong JS types get the package code ERR_INVALID_PARAMETER (napi status kept as napiCode)', async () => {
  const typeError = (fn, napiCode, pattern) => assert.throws(fn, (err) => {
    assert.ok(err instanceof Error)
    assert.equal(err.code, 'ERR_INVALID_PARAMETER')
    assert.equal(err.napiCode, napiCode)
    assert.match(err.message, pattern)
    return true
  })
  // A class's options are read by the core, which names the field holding the wrong type.
  assert.throws(() => new fs.AutoETS({ seasonLength: '12' }), (err) => err.code === 'ERR_INVALID_PARAMETER' && /`seasonLength`.*invalid type: string "12"/.test(err.message))
  typeError(() => new fs.Naive().fit('abc'), 'InvalidArg', /TypedArray/)
  typeError(() => new fs.Naive().fit(good).predict('3'), 'NumberExpected', /f64/)
  typeError(() => fs.safetyStock({}), 'InvalidArg', /demandMean/)
  typeError(() => fs.mae('x', [1]), 'InvalidArg', /TypedArray/)
  typeError(() => fs.forecastBatch('nope', { model: 'naive', h: 1 }), 'ArrayExpected', /Array/)
  typeError(() => fs.plan([{ sku: 1, demand: [1, 2] }], []), 'StringExpected', /sku/)
  typeError(() => new fs.Registry().promoteIfBetter(7, {}), 'StringExpected', /String/)
  // Core errors keep their own codes; instances made by native code are instances of the classes.
  throwsCode(() => fs.Registry.load('/nonexistent/registry.json'), 'ERR_IO')
  assert.ok(fs.Registry.fromJson(new fs.Registry().toJson()) instanceof fs.Registry)
  assert.ok(new fs.AutoETS({ seasonLength: 1 }).fit(good) instanceof fs.FittedModel)
})
