'use strict'
// The Node examples (examples/node/*.js) run to completion with small arguments.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { execFile } = require('node:child_process')

const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'node')

/** Run an example with `node`; resolves to its stdout once it exited with status 0. */
function runExample(file, args) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(EXAMPLES, file), ...args], { encoding: 'utf8', timeout: 60000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed (${error.code}): ${stderr}\n${stdout}`))
      else resolve(stdout)
    })
  })
}

test('forecast.js: a batch with one bad series, then a model class', async () => {
  const out = await runExample('forecast.js', ['3'])
  const lines = out.trim().split('\n')
  assert.equal(lines.filter((l) => /^ {2}sku-\d+: [\d.]+ \[[\d.]+, [\d.]+\]/.test(l)).length, 3, out)
  assert.match(out, /sku-broken: error ERR_INVALID_SERIES: .*index 2/)
  assert.match(out, /sku-1: ETS\(\w,\w+,\w\), next 6 months( [\d.]+){6}/)
})

test('plan_catalogue.js: a catalogue becomes orders', async () => {
  const out = await runExample('plan_catalogue.js', ['6'])
  const header = out.match(/^planned (\d+) of (\d+) SKUs, (\d+) orders/m)
  assert.ok(header, out)
  assert.deepEqual(header.slice(1, 3), ['6', '6'])
  const orders = out.match(/^ORDER SKU-\d{3} qty=\d+ priority=(urgent|high|medium|low)/gm) ?? []
  assert.equal(orders.length, Number(header[3]), out)
  assert.ok(orders.length > 0 && orders.length < 6, 'some SKUs order, some hold')
  assert.equal((out.match(/^hold {2}SKU-/gm) ?? []).length, 6 - orders.length)
})

test('run_scheduler.js: an every-second plan job runs, then the scheduler stops', async () => {
  const out = await runExample('run_scheduler.js', ['3', '* * * * * *'])
  assert.match(out, /^scheduler started .*next run \d{4}-\d\d-\d\dT/m)
  const runs = out.match(/^plan run for .*: 3 SKUs planned/gm) ?? []
  assert.ok(runs.length >= 2 && runs.length <= 4, out)
  assert.match(out, new RegExp(`^stopped after ${runs.length} runs; audit log of ${runs.length} records verifies: true$`, 'm'))
})
