'use strict'
// Long and multiple seasonal periods from Node: MSTL, Theta/AutoTheta, and seasonLength lists.
const test = require('node:test')
const assert = require('node:assert/strict')
const forestock = require('..')

function daily(days) {
  return Float64Array.from({ length: days }, (_, t) =>
    100 + 10 * Math.sin((2 * Math.PI * t) / 7) + 20 * Math.sin((2 * Math.PI * t) / 365) + 0.01 * t)
}

function weekly(weeks) {
  return Float64Array.from({ length: weeks }, (_, t) => Math.round(100 * (1 + 0.4 * Math.sin((2 * Math.PI * t) / 52)) + ((t * 37) % 11) - 5))
}

test('MSTL uses every period with two cycles and forecasts the weekly shape', () => {
  const fit = new forestock.MSTL({ seasonLength: [7, 365] }).fit(daily(800))
  assert.match(fit.description, /^MSTL\(7,365\)/)
  const fc = fit.predict(14, [95])
  assert.equal(fc.mean.length, 14)
  assert.ok(Math.max(...fc.mean.slice(0, 7)) - Math.min(...fc.mean.slice(0, 7)) > 10)
  const damped = new forestock.MSTL({ seasonLength: [7, 365], trendForecaster: new forestock.AutoETS({ model: 'ZZN', damped: true }) })
  assert.match(damped.fit(daily(800)).description, /^MSTL\(7,365\)/)
  assert.match(new forestock.MSTL({ seasonLength: [7, 365] }).fit(daily(400)).description, /^MSTL\(7\) /)
})

test('Theta and AutoTheta forecast, a bad variant is a coded error', () => {
  for (const model of [new forestock.Theta({ seasonLength: 4 }), new forestock.AutoTheta({ seasonLength: 4 })]) {
    const fc = model.forecast(weekly(104), 8, [95])
    assert.equal(fc.mean.length, 8)
  }
  assert.throws(() => new forestock.AutoTheta({ model: 'XYZ' }), (e) => e.code === 'ERR_INVALID_PARAMETER')
})

test('AutoModel, Ensemble and forecastBatch take seasonLength lists', async () => {
  const fit = new forestock.AutoModel({ seasonLength: 52 }).fit(weekly(104))
  assert.match(fit.description, /^MSTL\(52\)/)
  const ens = new forestock.Ensemble({ seasonLength: [7, 365] }).fit(daily(800))
  assert.equal(ens.predict(7, [95]).mean.length, 7)
  const out = await forestock.forecastBatch([{ id: 'a', y: daily(800) }], { model: 'autoModel', seasonLength: [7, 365], h: 7, levels: [95] })
  assert.equal(out[0].mean.length, 7)
  assert.throws(() => new forestock.AutoModel({ seasonLength: [7, 0] }).fit(weekly(60)), (e) => e.code === 'ERR_INVALID_PARAMETER')
})
