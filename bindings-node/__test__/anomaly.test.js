'use strict'
// detectAnomalies through the binding: flags, reasons, replacements and typed errors.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { throwsCode } = require('./helpers')

function seasonalSeries(n = 96) {
  return Float64Array.from({ length: n }, (_, t) => 100 + 0.5 * t + 20 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7919) % 13) * 0.3)
}

test('detectAnomalies flags a spike and a dip with scores, reasons and replacements', () => {
  const y = seasonalSeries()
  y[30] += 40
  y[61] -= 40
  const out = fs.detectAnomalies(y, { seasonLength: 12 })
  assert.ok(out.index instanceof Uint32Array)
  assert.deepEqual(Array.from(out.index), [30, 61])
  assert.deepEqual(out.kind, ['spike', 'dip'])
  assert.ok(out.score[0] >= 4 && out.score[1] <= -4)
  assert.match(out.reason[0], /^spike: \d+\.\d robust SD above the expected/)
  assert.ok(Math.abs(out.replacement[0] - (y[30] - 40)) < 5)
  assert.deepEqual(Array.from(out.value), [y[30], y[61]])
  assert.equal(out.regime, 'regular')
  assert.equal(out.seasonallyAdjusted, true)
})

test('detectAnomalies keeps the ordinary non-zero periods of intermittent demand', () => {
  const y = Array.from({ length: 80 }, (_, t) => (t % 3 === 0 ? 2 + (t % 4) : 0))
  const clean = fs.detectAnomalies(y) // plain arrays and no options are accepted
  assert.equal(clean.index.length, 0)
  assert.equal(clean.regime, 'intermittent')
  y[40] = 60
  assert.deepEqual(Array.from(fs.detectAnomalies(y, {}).index), [40])
})

test('detectAnomalies rejects bad input with stable codes', () => {
  throwsCode(() => fs.detectAnomalies(Float64Array.from([1, NaN, 3])), 'ERR_INVALID_SERIES', /index 1/)
  throwsCode(() => fs.detectAnomalies(seasonalSeries(), { seasonLength: 0 }), 'ERR_INVALID_PARAMETER', /season_length/)
  throwsCode(() => fs.detectAnomalies(seasonalSeries(), { seasonLength: 'x' }), 'ERR_INVALID_PARAMETER')
})
