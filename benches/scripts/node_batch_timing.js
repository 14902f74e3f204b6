#!/usr/bin/env node
'use strict'
// Node side of the binding overhead benchmark (run by binding_overhead.py, which passes the same CSV
// file the Rust baseline and Python read). Reading and parsing the file is not timed; each repeat
// times one `forecastBatch` call (conversion in, the libuv task, conversion out).
//
//   node node_batch_timing.js <file.csv> <model-options-json> <repeats>
// Prints one JSON object: series, failed, seconds (per repeat).
const fs = require('node:fs')
const path = require('node:path')
const { forecastBatch } = require(path.join(__dirname, '..', '..', 'bindings-node'))

async function main() {
  const [file, optionsJson, repeatsText] = process.argv.slice(2)
  const options = JSON.parse(optionsJson)
  const repeats = Math.max(1, Number(repeatsText) || 1)
  const series = []
  const lines = fs.readFileSync(file, 'utf8').split('\n')
  let current = null
  let values = []
  for (const line of lines.slice(1)) {
    if (!line) continue
    const [id, , y] = line.split(',')
    if (id !== current) {
      if (current !== null) series.push({ id: current, y: Float64Array.from(values) })
      current = id
      values = []
    }
    values.push(Number(y))
  }
  if (current !== null) series.push({ id: current, y: Float64Array.from(values) })

  const seconds = []
  let failed = 0
  for (let r = 0; r < repeats; r++) {
    const started = process.hrtime.bigint()
    const out = await forecastBatch(series, options)
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9)
    failed = out.filter((entry) => entry.error).length
  }
  console.log(JSON.stringify({ series: series.length, failed, seconds }))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
