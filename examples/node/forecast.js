'use strict'
// Forecast a batch of monthly series with forecastBatch (on the libuv pool), then one series with a
// model class. Usage: node examples/node/forecast.js [series=6]
//
// In your project, after `npm install forestock` (or the tarball of `npm pack`), write
// `require('forestock')`; this example loads the package from the repository checkout instead.
const forestock = require('../../bindings-node')

/** A deterministic monthly series: level, trend, yearly season and a little pseudo-noise. */
function monthlySeries(k, months = 48) {
  return Float64Array.from({ length: months }, (_, t) => {
    const season = 1 + 0.25 * Math.sin((2 * Math.PI * (t + k)) / 12)
    const noise = ((t * 37 + k * 11) % 7) - 3
    return Math.round((100 + 10 * k + 0.8 * t) * season + noise)
  })
}

async function main() {
  const count = Math.max(1, Number(process.argv[2] ?? 6))
  const series = Array.from({ length: count }, (_, k) => ({ id: `sku-${k + 1}`, y: monthlySeries(k) }))
  series.push({ id: 'sku-broken', y: Float64Array.from([5, 6, NaN, 7]) }) // one bad series: an error entry, not a rejection

  const out = await forestock.forecastBatch(series, { model: 'autoEts', seasonLength: 12, h: 3, levels: [80, 95] })
  console.log('forecastBatch (AutoETS, h = 3, 95 % interval):')
  for (const entry of out) {
    if (entry.error) {
      console.log(`  ${entry.id}: error ${entry.error.code}: ${entry.error.message}`)
      continue
    }
    const [, p95] = entry.intervals
    const steps = Array.from(entry.mean, (m, i) => `${m.toFixed(1)} [${p95.lower[i].toFixed(1)}, ${p95.upper[i].toFixed(1)}]`)
    console.log(`  ${entry.id}: ${steps.join('  ')}`)
  }

  // The same model as a class: fit once, inspect, predict at other horizons and levels.
  const fit = new forestock.AutoETS({ seasonLength: 12 }).fit(series[0].y)
  const fc = fit.predict(6, [90])
  console.log(`${series[0].id}: ${fit.description}, next 6 months ${Array.from(fc.mean, (m) => m.toFixed(1)).join(' ')}`)
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
