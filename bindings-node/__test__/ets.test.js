'use strict'
// ETS family, Holt-Winters, intermittent methods and AutoModel: numbers from the core, checked
// against R forecast 8.20 / stats and statsforecast figures.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { fixture, publicSeries, maxRel, close, throwsCode } = require('./helpers')

const R = fixture('reference', 'r_forecast_public.json')
const air = R['datasets.AirPassengers']
const airTrain = Float64Array.from(publicSeries('datasets.AirPassengers').slice(0, air.train_length))

function compareToR(fc, ref, rel, label) {
  close(fc.mean, ref.mean, rel, `${label} mean`)
  close(fc.intervals[0].lower, ref.lo80, rel, `${label} lo80`)
  close(fc.intervals[0].upper, ref.hi80, rel, `${label} hi80`)
  close(fc.intervals[1].lower, ref.lo95, rel, `${label} lo95`)
  close(fc.intervals[1].upper, ref.hi95, rel, `${label} hi95`)
}

test('AutoETS on AirPassengers picks R\'s model and matches its forecast', () => {
  const fit = new fs.AutoETS({ seasonLength: air.season_length, optimizer: 'nelder_mead_r' }).fit(airTrain)
  assert.equal(fit.description.includes(air.auto.method), true, fit.description)
  const fc = fit.predict(air.horizon, [80, 95])
  compareToR(fc, air.auto, 1e-6, 'AutoETS')
})

test('ETS(M,Ad,M) on AirPassengers matches R forecast::ets(model = "MAM", damped = TRUE)', () => {
  const fc = new fs.ETS({ model: 'MAdM', seasonLength: 12, optimizer: 'nelder_mead_r' }).forecast(airTrain, air.horizon, [80, 95])
  compareToR(fc, air.fixed.MAdM, 1e-6, 'ETS(MAdM)')
})

test('ETS options reach the core under its own field names', () => {
  assert.equal(JSON.parse(new fs.ETS({ model: 'AAN' }).spec).spec, 'AAN')
  const auto = JSON.parse(new fs.AutoETS({ seasonLength: 4, model: 'ZZN', damped: false, ic: 'bic' }).spec)
  assert.deepEqual([auto.model, auto.season_length, auto.pattern, auto.damped, auto.ic], ['auto_ets', 4, 'ZZN', false, 'bic'])
  assert.equal(JSON.parse(new fs.AutoETS().spec).pattern, 'ZZZ')
  assert.deepEqual(JSON.parse(new fs.TSB({ alphaD: 0.2, alphaP: 0.1 }).spec), { model: 'tsb', alpha_d: 0.2, alpha_p: 0.1 })
})

test('the ETS optimizer option reaches the core, which validates it', () => {
  // The default is 'hybrid' spelled out; 'nelder_mead' (R's search on the shorter-chain
  // arithmetic) gives R's estimates here, as 'nelder_mead_r' does.
  const auto = (optimizer) => new fs.AutoETS({ seasonLength: 12, optimizer }).forecast(airTrain, 6).mean
  assert.deepEqual(auto('hybrid'), auto(undefined))
  assert.deepEqual(auto('nelder_mead'), auto('nelder_mead_r'))
  const planner = new fs.AutoModel({ seasonLength: 12, optimizer: 'nelder_mead_r' })
  assert.equal(JSON.parse(planner.spec).optimizer, 'nelder_mead_r')
  assert.deepEqual(planner.forecast(airTrain, 6).mean, new fs.AutoModel({ seasonLength: 12, optimizer: 'nelder_mead' }).forecast(airTrain, 6).mean)
  assert.throws(() => new fs.AutoModel({ seasonLength: 12, optimizer: 'newton' }).fit(airTrain))
  const fast = new fs.AutoETS({ seasonLength: 12, optimizer: 'lbfgs' })
  assert.equal(JSON.parse(fast.spec).optimizer, 'lbfgs')
  assert.ok(fast.forecast(airTrain, 6).mean.every(Number.isFinite))
  assert.equal(new fs.ETS({ model: 'MAM', seasonLength: 12, optimizer: 'lbfgs' }).fit(airTrain).description.includes('ETS(M,A,M)'), true)
  assert.throws(() => new fs.AutoETS({ seasonLength: 12, optimizer: 'newton' }).fit(airTrain))
})

test('HoltWinters matches R stats::HoltWinters on AirPassengers', () => {
  for (const seasonality of ['additive', 'multiplicative']) {
    const ref = air.holtwinters[seasonality]
    const fc = new fs.HoltWinters({ seasonLength: 12, seasonality }).forecast(airTrain, air.horizon)
    // R's optim (L-BFGS-B) stops at its own tolerance: forecasts agree to ~1e-5 (measured 9.5e-6 / 5.5e-6).
    assert.ok(maxRel(fc.mean, ref.mean) < 1e-4, `${seasonality}: ${maxRel(fc.mean, ref.mean)}`)
  }
})

test('intermittent methods match statsforecast', () => {
  const sf = fixture('statsforecast', 'intermittent.json')
  const classes = {
    croston_classic: () => new fs.CrostonClassic(),
    croston_optimized: () => new fs.CrostonOptimized(),
    croston_sba: () => new fs.CrostonSBA(),
    tsb: () => new fs.TSB({ alphaD: sf.tsb.alpha_d, alphaP: sf.tsb.alpha_p }),
    adida: () => new fs.ADIDA(),
    imapa: () => new fs.IMAPA(),
  }
  for (const s of sf.series) {
    for (const [name, make] of Object.entries(classes)) {
      const ref = s.reference[name]
      if (!ref) continue
      const fc = make().forecast(Float64Array.from(s.y), sf.h)
      close(fc.mean, ref.mean, 1e-6, `${s.id} ${name}`)
    }
  }
})

test('AutoModel routes intermittent demand away from ETS', () => {
  const y = Float64Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? 5 + (i % 3) : 0))
  const fit = new fs.AutoModel({ seasonLength: 1 }).fit(y)
  assert.doesNotMatch(fit.description, /ETS/)
  assert.equal(fit.predict(4).mean.length, 4)
})

test('forecastBatch accepts every model name', async () => {
  const series = [{ id: 'air', y: airTrain }, { id: 'bad', y: Float64Array.from([1, NaN, 3]) }]
  const cases = [
    [{ model: 'autoEts', seasonLength: 12, optimizer: 'nelder_mead_r' }, air.auto.mean],
    [{ model: 'ets', spec: 'MAdM', seasonLength: 12, optimizer: 'nelder_mead_r' }, air.fixed.MAdM.mean],
    [{ model: 'holtWinters', seasonLength: 12, seasonality: 'multiplicative' }, null],
    [{ model: 'crostonClassic' }, null], [{ model: 'crostonOptimized' }, null], [{ model: 'crostonSba' }, null],
    [{ model: 'tsb', alphaD: 0.2, alphaP: 0.1 }, null], [{ model: 'adida' }, null], [{ model: 'imapa' }, null],
    [{ model: 'autoModel', seasonLength: 12 }, null],
  ]
  for (const [options, expected] of cases) {
    const out = await fs.forecastBatch(series, { h: air.horizon, levels: [95], ...options })
    assert.equal(out.length, 2)
    assert.equal(out[0].id, 'air')
    assert.equal(out[0].mean.length, air.horizon, options.model)
    if (expected) close(out[0].mean, expected, 1e-6, options.model)
    assert.equal(out[1].error.code, 'ERR_INVALID_SERIES', options.model)
  }
})

test('ETS with a Z wildcard is the AutoETS search (the core rule, as in Python)', () => {
  const ets = new fs.ETS({ model: 'ZZZ', seasonLength: 12 })
  const spec = JSON.parse(ets.spec)
  assert.deepEqual([spec.model, spec.pattern, spec.season_length], ['auto_ets', 'ZZZ', 12])
  const auto = new fs.AutoETS({ seasonLength: 12 })
  assert.deepEqual(ets.forecast(airTrain, 6, [95]), auto.forecast(airTrain, 6, [95]))
})

test('bad model settings and series throw coded errors', () => {
  throwsCode(() => new fs.ETS({ model: 'ZZZ', alpha: 0.3 }), 'ERR_INVALID_PARAMETER', /alpha/)
  throwsCode(() => new fs.ETS({ model: 'MAdM', seasonLength: 12 }).fit(Float64Array.from([1, 2, 3])), 'ERR_INVALID_SERIES')
  throwsCode(() => new fs.ETS({ model: 'MNN' }).fit(Float64Array.from([1, -2, 3, 4, 5, 6, 7, 8, 9, 10])), 'ERR_INVALID_SERIES')
  throwsCode(() => new fs.AutoETS({ model: 'QQQ' }).fit(airTrain), 'ERR_INVALID_PARAMETER', /pattern/)
  throwsCode(() => new fs.AutoETS({ ic: 'nope' }), 'ERR_INVALID_PARAMETER')
  throwsCode(() => new fs.HoltWinters({ seasonLength: 12, seasonality: 'cubic' }), 'ERR_INVALID_PARAMETER')
  throwsCode(() => new fs.HoltWinters({ seasonLength: 12 }).fit(airTrain.slice(0, 10)), 'ERR_INVALID_SERIES')
  throwsCode(() => new fs.TSB({ alphaD: 2, alphaP: 0.1 }).fit(Float64Array.from([0, 1, 0, 2, 0, 0, 3])), 'ERR_INVALID_PARAMETER')
  throwsCode(() => new fs.CrostonClassic().fit(Float64Array.from([0, 1, Infinity])), 'ERR_INVALID_SERIES', /index 2/)
  assert.throws(() => new fs.ETS({}), Error)
  assert.throws(() => new fs.AutoModel(), Error)
})
