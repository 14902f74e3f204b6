'use strict'
// Cross-language equality of the scheduler's decisions: the scripted cases of
// tests/fixtures/cross_language/scheduler.json go through the native calls scheduler.js makes
// (`schedulePlan`, `scheduleOnDue`, durations in ms) here and through those scheduler.py makes
// (bindings-python/tests/cross_language_scheduler.py, run in the repository's .venv); the plans and
// decisions must be the same JSON. Skipped when the Python extension is not built.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const fsys = require('node:fs')
const { execFileSync } = require('node:child_process')
const fs = require('..')

const ROOT = path.join(__dirname, '..', '..')
const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'cross_language', 'scheduler.json')
const PYTHON = process.env.FORESTOCK_PYTHON || path.join(ROOT, '.venv', 'bin', 'python')
const SCRIPT = path.join(ROOT, 'bindings-python', 'tests', 'cross_language_scheduler.py')

const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const snakeKeys = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [snake(k), v]))

/** Plan, then decide at every step; after any decision but wait, plan again from that instant. */
function replay(c) {
  const timing = { jitterMs: c.jitter_ms, misfireGraceMs: c.misfire_grace_ms }
  let planned = fs.schedulePlan(c.cron, c.timezone, timing, Date.parse(c.start), c.first_draw)
  const plans = [planned]
  const decisions = []
  for (const step of c.steps) {
    const now = Date.parse(step.now)
    const due = fs.scheduleOnDue(c.cron, c.timezone, timing, planned, now, step.running)
    decisions.push(due)
    if (due.decision !== 'wait') {
      planned = fs.schedulePlan(c.cron, c.timezone, timing, now, step.draw)
      plans.push(planned)
    }
  }
  return { plans: plans.map(snakeKeys), decisions: decisions.map(snakeKeys) }
}

function nodeAnswers(inputs) {
  return Object.fromEntries(inputs.cases.map((c) => [c.name, replay(c)]))
}

const pythonReady = fsys.existsSync(PYTHON) && (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import forestock._native as n; n.schedule_on_due'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

test('the scripted scheduler cases decide the same in Node (all kinds of decision occur)', () => {
  const answers = nodeAnswers(JSON.parse(fsys.readFileSync(FIXTURE, 'utf8')))
  const kinds = new Set(Object.values(answers).flatMap((a) => a.decisions.map((d) => d.decision)))
  assert.deepEqual([...kinds].sort(), ['misfire', 'run', 'skip_running', 'wait'])
  assert.ok(Object.values(answers).some((a) => a.decisions.some((d) => d.coalesced > 0)), 'some fire times coalesce')
})

test('Python and Node make identical scheduler decisions for the same script', { skip: !pythonReady && `no Python with forestock at ${PYTHON}` }, () => {
  const inputs = JSON.parse(fsys.readFileSync(FIXTURE, 'utf8'))
  const python = JSON.parse(execFileSync(PYTHON, [SCRIPT, FIXTURE], { encoding: 'utf8' }))
  const node = JSON.parse(JSON.stringify(nodeAnswers(inputs)))
  assert.deepStrictEqual(Object.keys(node).sort(), Object.keys(python).sort())
  for (const name of Object.keys(python)) assert.deepStrictEqual(node[name], python[name], name)
})

module.exports = { nodeAnswers }
