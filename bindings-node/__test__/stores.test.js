'use strict'
// Durable stores through the Node binding: the registry's optimistic version check throws
// ERR_CONFLICT, and several processes appending to one audit file with appendToFile (and the jobs'
// `auditFile`) build one valid chain.
const test = require('node:test')
const assert = require('node:assert/strict')
const os = require('node:os')
const path = require('node:path')
const fsys = require('node:fs')
const { spawn } = require('node:child_process')
const fs = require('..')
const { dailyPlanJob } = require('../jobs.js')
const { throwsCode } = require('./helpers')

const at = new Date('2026-12-01T06:00:00Z')
const challenger = (mase) => ({ model: 'naive', metrics: { mase }, trainedAt: at, decidedAt: at, window: { observations: 52 } })

function tmpDir() {
  return fsys.mkdtempSync(path.join(os.tmpdir(), 'forestock-stores-'))
}

test('a stale registry save throws ERR_CONFLICT and leaves the file as the winner wrote it', () => {
  const file = path.join(tmpDir(), 'registry.json')
  new fs.Registry().save(file)
  const first = fs.Registry.load(file)
  const second = fs.Registry.load(file)
  assert.deepEqual([first.revision, second.revision], [1, 1])
  first.promoteIfBetter('A-1', challenger(0.9))
  first.save(file)
  assert.equal(first.revision, 2)
  const written = fsys.readFileSync(file)
  second.promoteIfBetter('B-1', challenger(0.8))
  throwsCode(() => second.save(file), 'ERR_CONFLICT', /^conflict on .*registry\.json: loaded at revision 1, the file is now at revision 2$/)
  assert.deepEqual(fsys.readFileSync(file), written)
  assert.equal(second.revision, 1)
  const third = fs.Registry.load(file)
  third.promoteIfBetter('B-1', challenger(0.8))
  third.save(file)
  assert.deepEqual(fs.Registry.load(file).skus(), ['A-1', 'B-1'])
})

const APPENDER = `
const fs = require(${JSON.stringify(path.join(__dirname, '..'))})
const [file, writer, count] = process.argv.slice(1)
const log = new fs.AuditLog()
for (let i = 0; i < Number(count); i++) log.appendToFile(file, 'note', { writer, i }, '2026-12-01T06:00:00Z')
`

function runAppender(file, writer, count) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', APPENDER, file, writer, String(count)], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => { stderr += d })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`appender ${writer} exited ${code}: ${stderr}`))))
  })
}

test('two processes appending 300 records each to one file build one valid chain of 600', async () => {
  const file = path.join(tmpDir(), 'audit.jsonl')
  await Promise.all([runAppender(file, 'alpha', 300), runAppender(file, 'beta', 300)])
  const log = fs.AuditLog.load(file)
  assert.equal(log.verify(), true)
  const records = log.records()
  assert.deepEqual(records.map((r) => r.seq), Array.from({ length: 600 }, (_, i) => i))
  for (const writer of ['alpha', 'beta']) {
    assert.deepEqual(records.filter((r) => r.payload.writer === writer).map((r) => r.payload.i), Array.from({ length: 300 }, (_, i) => i))
  }
})

test('appendToFile chains onto the file and the in-memory log catches up', () => {
  const file = path.join(tmpDir(), 'audit.jsonl')
  const mine = new fs.AuditLog()
  const other = new fs.AuditLog()
  mine.appendToFile(file, 'run', { n: 1 }, at)
  other.appendToFile(file, 'run', { n: 2 }, at)
  const record = mine.appendToFile(file, 'run', { n: 3 }, at)
  assert.equal(record.seq, 2)
  assert.equal(mine.length, 3)
  assert.deepEqual(mine.records(), fs.AuditLog.load(file).records())
  throwsCode(() => mine.appendToFile(file, 'run', {}, new Date('2026-01-01T00:00:00Z')), 'ERR_INVALID_PARAMETER', /timestamp/)
  throwsCode(() => mine.appendToFile(path.dirname(file), 'run', {}, at), 'ERR_IO')
  assert.equal(fs.AuditLog.load(file).length, 3)
})

test('dailyPlanJob with auditFile appends each run to the file with the locked append', async () => {
  const file = path.join(tmpDir(), 'audit.jsonl')
  const histories = [{ sku: 'A', demand: Float64Array.from({ length: 30 }, (_, i) => 10 + (i % 3)) }]
  const items = [{ sku: 'A', unitCost: 2, leadTime: 1, onHand: 5, holdingCostRate: 0.005 }]
  const job = dailyPlanJob({ load: async () => ({ histories, items }), store: async () => {}, auditFile: file, horizon: 2 })
  await job({ name: 'daily' })
  await job({ name: 'daily' })
  const log = fs.AuditLog.load(file)
  assert.equal(log.verify(), true)
  assert.deepEqual(log.records().map((r) => [r.seq, r.kind, r.payload.job, r.payload.status]), [
    [0, 'run', 'daily_plan', 'ok'],
    [1, 'run', 'daily_plan', 'ok'],
  ])
  assert.throws(() => dailyPlanJob({ load() {}, store() {}, auditFile: 42 }), (e) => e.code === 'ERR_INVALID_PARAMETER' && /auditFile/.test(e.message))
})
