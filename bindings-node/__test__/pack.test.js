'use strict'
// `npm pack` makes a tarball that installs and runs in an empty project, offline, without the
// package's devDependencies.
//
// Build choice: `npm pack` runs the `prepack` script (napi build --platform --release). When the
// host's addon next to this file is newer than every Rust source it is built from (the usual case:
// `make test-node` builds it first), the test packs with `--ignore-scripts` so it does not rebuild
// (a release build takes minutes, the test stays within seconds). When the addon is missing or
// stale, the test lets `prepack` build it, as a user's `npm pack` would.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const os = require('node:os')
const fsys = require('node:fs')
const { execFileSync } = require('node:child_process')
const fs = require('..')

const PACKAGE_DIR = path.join(__dirname, '..')
const REPO = path.join(PACKAGE_DIR, '..')
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'

function newestMtime(dir, pattern) {
  let newest = 0
  for (const entry of fsys.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, pattern))
    else if (pattern.test(entry.name)) newest = Math.max(newest, fsys.statSync(full).mtimeMs)
  }
  return newest
}

/** Whether a host addon exists and is newer than the Rust sources of the core and the binding. */
function addonUpToDate() {
  const addons = fsys.readdirSync(PACKAGE_DIR).filter((f) => /^forestock\..+\.node$/.test(f))
  if (addons.length === 0) return false
  const built = Math.max(...addons.map((f) => fsys.statSync(path.join(PACKAGE_DIR, f)).mtimeMs))
  const sources = Math.max(
    newestMtime(path.join(REPO, 'core', 'src'), /\.rs$/),
    newestMtime(path.join(PACKAGE_DIR, 'src'), /\.rs$/),
    ...['Cargo.toml', 'Cargo.lock', 'core/Cargo.toml', 'bindings-node/Cargo.toml'].map((f) => fsys.statSync(path.join(REPO, f)).mtimeMs),
  )
  return built >= sources
}

function run(cmd, args, cwd) {
  // npm_config_* variables set by an enclosing `npm test` would leak into the nested npm calls.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)))
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600000 })
}

test('npm pack -> npm install in an empty project -> forecast and schedule', async () => {
  const tmp = fsys.mkdtempSync(path.join(os.tmpdir(), 'forestock-pack-'))
  try {
    const packArgs = ['pack', '--json', '--pack-destination', tmp]
    if (addonUpToDate()) packArgs.push('--ignore-scripts')
    const [packed] = JSON.parse(run(NPM, packArgs, PACKAGE_DIR))
    const files = packed.files.map((f) => f.path).sort()
    for (const needed of ['package.json', 'README.md', 'main.js', 'main.d.ts', 'index.js', 'index.d.ts', 'scheduler.js', 'scheduler.d.ts', 'jobs.js', 'jobs.d.ts']) assert.ok(files.includes(needed), `${needed} in ${files}`)
    assert.ok(files.some((f) => /^forestock\..+\.node$/.test(f)), `a host binary in ${files}`)
    assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('__test__/') || f.startsWith('node_modules/')), `no sources or tests in ${files}`)
    assert.equal(packed.name, 'forestock')

    const project = path.join(tmp, 'consumer')
    fsys.mkdirSync(project)
    fsys.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }))
    run(NPM, ['install', path.join(tmp, packed.filename), '--offline', '--no-audit', '--no-fund', '--loglevel=error'], project)
    const installed = path.join(project, 'node_modules')
    assert.deepEqual(fsys.readdirSync(installed).filter((d) => !d.startsWith('.')), ['forestock'], 'no dependency, devDependencies left out')

    const script = `
      const fs = require('forestock')
      const { Scheduler, dailyPlanJob } = fs
      if (require('forestock/scheduler').Scheduler !== Scheduler || typeof dailyPlanJob !== 'function') throw new Error('package entry')
      const y = Float64Array.from([112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140])
      const fc = new fs.AutoETS({ seasonLength: 12 }).forecast(y, 3, [95])
      const s = new Scheduler().addJob('plan', '0 6 * * *', async () => {
        const [ok, bad] = await fs.forecastBatch([{ id: 'a', y }, { id: 'b', y: [] }], { model: 'seasonalNaive', seasonLength: 12, h: 2 })
        return { ok: Array.from(ok.mean), bad: bad.error.code }
      }, { timezone: 'Europe/Berlin' })
      s.runNow('plan').then((batch) => {
        console.log(JSON.stringify({ mean: Array.from(fc.mean), upper: Array.from(fc.intervals[0].upper), batch, next: s.nextRun('plan') instanceof Date }))
      })`
    const out = JSON.parse(run(process.execPath, ['-e', script], project))
    const expected = new fs.AutoETS({ seasonLength: 12 }).forecast(Float64Array.from([112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140]), 3, [95])
    assert.deepEqual(out.mean, Array.from(expected.mean), 'the installed addon computes what the repo addon computes')
    assert.deepEqual(out.upper, Array.from(expected.intervals[0].upper))
    assert.deepEqual(out.batch, { ok: [115, 126], bad: 'ERR_INVALID_SERIES' })
    assert.equal(out.next, true)
  } finally {
    fsys.rmSync(tmp, { recursive: true, force: true })
  }
})
