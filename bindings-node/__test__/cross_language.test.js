'use strict'
// Cross-language equality: the inputs of tests/fixtures/cross_language/inputs.json go through the
// Node package here and through the Python package (bindings-python/tests/cross_language.py, run in
// the repository's .venv); the answers must be the same JSON (keys compared in snake_case). Skipped
// when the Python extension is not built (`make test` builds it before the Node tests run).
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const fsys = require('node:fs')
const { execFileSync } = require('node:child_process')
const fs = require('..')
const { dailyPlanJob } = require('../jobs.js')

const ROOT = path.join(__dirname, '..', '..')
const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'cross_language', 'inputs.json')
const PYTHON = process.env.FORESTOCK_PYTHON || path.join(ROOT, '.venv', 'bin', 'python')
const SCRIPT = path.join(ROOT, 'bindings-python', 'tests', 'cross_language.py')

const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** Keys renamed recursively (values unchanged); typed arrays become plain arrays. */
function rekey(value, rename) {
  if (ArrayBuffer.isView(value)) return Array.from(value)
  if (Array.isArray(value)) return value.map((v) => rekey(v, rename))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v != null && !Number.isNaN(v)).map(([k, v]) => [rename(k), rekey(v, rename)]))
  }
  return value
}

/** Node's answers to the fixture, in the shape the Python script prints. */
async function nodeAnswers(inputs) {
  const out = {}
  out.safety_stock = inputs.safety_stock.map((req) => ({ safety_stock: fs.safetyStock(rekey(req, camel)), reorder_point: fs.reorderPoint(rekey(req, camel)) }))
  out.eoq = inputs.eoq.map((c) => fs.eoq(rekey(c, camel)))
  out.abc_classify = inputs.abc_classify.map((c) => fs.abcClassify(c.values, { a: c.a, b: c.b }))
  out.recommend = inputs.recommend.map((c) => fs.recommend(rekey(c, camel)))
  out.retrain_decision = inputs.retrain_decision.map((c) => fs.retrainDecision(rekey(c, camel)))
  const { histories, items, config } = inputs.catalogue
  const options = rekey(config, camel)
  out.classify_catalogue = fs.classifyCatalogue(histories, items.map(({ sku, unit_cost, service_level }) => rekey({ sku, unit_cost, service_level }, camel)), options)
  const plan = await fs.plan(histories, items.map((i) => rekey(i, camel)), { ...options, horizon: 2, levels: [95], model: 'naive' })
  out.plan = {
    plans: plan.plans.map(({ forecast, ...rest }) => rest),
    failures: plan.failures,
  }
  // The daily job's audit record: the core's payload, identical in every language.
  const audit = new fs.AuditLog()
  const job = dailyPlanJob({ load: () => ({ histories, items: items.map((i) => rekey(i, camel)) }), store: () => {}, audit, ...options, horizon: 2, levels: [95], model: 'naive' })
  await job().catch((e) => { if (!/^ERR_PLAN_/.test(e.code)) throw e })
  const answers = rekey(out, snake)
  // Its keys are the core's already (and some are data, such as the ABC classes): not renamed.
  answers.daily_plan_audit = rekey(audit.records().map(({ kind, payload }) => ({ kind, payload })), (k) => k)
  return answers
}

const pythonReady = fsys.existsSync(PYTHON) && (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import forestock'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

test('Python and Node give identical JSON for the same inputs', { skip: !pythonReady && `no Python with forestock at ${PYTHON}` }, async () => {
  const inputs = JSON.parse(fsys.readFileSync(FIXTURE, 'utf8'))
  const python = JSON.parse(execFileSync(PYTHON, [SCRIPT, FIXTURE], { encoding: 'utf8' }))
  const node = JSON.parse(JSON.stringify(await nodeAnswers(inputs)))
  for (const key of Object.keys(python)) assert.deepStrictEqual(node[key], python[key], key)
  assert.deepStrictEqual(Object.keys(node).sort(), Object.keys(python).sort())
})

module.exports = { nodeAnswers }
