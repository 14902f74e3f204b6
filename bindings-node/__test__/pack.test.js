'use strict'
// napi-rs's per-platform layout: the main package `forestock` (JS loader, types, scheduler, jobs; no
// binary) and one package per platform (`forestock-linux-x64-gnu`, ...: the compiled addon alone,
// with `os`/`cpu`/`libc`), which a release lists as the main package's optionalDependencies so npm
// installs only the matching one. Here both tarballs are made
// with `npm pack`, installed offline into an empty project without the package's devDependencies,
// and the installed addon is checked to come from the platform package.
//
// The addon next to this file must be built (`make test-node` builds it first); the test copies it
// into a scratch copy of `npm/<platform>/`, as `napi artifacts` does in a release.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const os = require('node:os')
const fsys = require('node:fs')
const { execFileSync } = require('node:child_process')
const fs = require('..')

const PACKAGE_DIR = path.join(__dirname, '..')
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'

function run(cmd, args, cwd) {
  // npm_config_* variables set by an enclosing `npm test` would leak into the nested npm calls.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)))
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600000 })
}

function pack(dir, destination) {
  const [packed] = JSON.parse(run(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], dir))
  return packed
}

test('every napi target has its platform package, versioned with the main package', () => {
  const main = JSON.parse(fsys.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'))
  const dirs = fsys.readdirSync(path.join(PACKAGE_DIR, 'npm')).sort()
  assert.equal(dirs.length, main.napi.targets.length)
  for (const dir of dirs) {
    const pkg = JSON.parse(fsys.readFileSync(path.join(PACKAGE_DIR, 'npm', dir, 'package.json'), 'utf8'))
    assert.equal(pkg.name, `forestock-${dir}`)
    assert.equal(pkg.version, main.version, `${dir} is versioned with the main package`)
    assert.equal(pkg.main, `forestock.${dir}.node`)
    assert.deepEqual(pkg.files, [pkg.main])
    assert.ok(pkg.os.length === 1 && pkg.cpu.length === 1, `${dir} is restricted to its platform`)
    assert.equal(pkg.license, main.license)
  }
  // `napi pre-publish` publishes the platform packages and writes them into the main package's
  // optionalDependencies at publish time; the committed package.json leaves them out so that
  // `npm ci` works before they exist on a registry.
  assert.equal(main.scripts.prepublishOnly, 'napi pre-publish -t npm')
  assert.equal(main.optionalDependencies, undefined)
  assert.deepEqual(main.dependencies ?? {}, {}, 'no runtime dependency')
})

test('npm pack of the main and the host platform package -> offline install -> forecast and schedule', async () => {
  const addons = fsys.readdirSync(PACKAGE_DIR).filter((f) => /^forestock\..+\.node$/.test(f))
  assert.equal(addons.length, 1, `one built host addon next to package.json (make node-addon), found ${addons}`)
  const platform = addons[0].slice('forestock.'.length, -'.node'.length)
  const tmp = fsys.mkdtempSync(path.join(os.tmpdir(), 'forestock-pack-'))
  try {
    const packed = pack(PACKAGE_DIR, tmp)
    const files = packed.files.map((f) => f.path).sort()
    for (const needed of ['package.json', 'README.md', 'main.js', 'main.d.ts', 'index.js', 'index.d.ts', 'scheduler.js', 'scheduler.d.ts', 'jobs.js', 'jobs.d.ts']) assert.ok(files.includes(needed), `${needed} in ${files}`)
    assert.ok(!files.some((f) => f.endsWith('.node')), `no binary in the main package: ${files}`)
    assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('__test__/') || f.startsWith('node_modules/') || f.startsWith('npm/')), `no sources, tests or platform dirs in ${files}`)
    assert.equal(packed.name, 'forestock')

    // The host's platform package, with its binary copied in (what `napi artifacts` does).
    const platformDir = path.join(tmp, 'platform')
    fsys.cpSync(path.join(PACKAGE_DIR, 'npm', platform), platformDir, { recursive: true })
    fsys.copyFileSync(path.join(PACKAGE_DIR, addons[0]), path.join(platformDir, addons[0]))
    const binary = pack(platformDir, tmp)
    assert.equal(binary.name, `forestock-${platform}`)
    assert.deepEqual(binary.files.map((f) => f.path).sort(), ['README.md', addons[0], 'package.json'].sort())

    const project = path.join(tmp, 'consumer')
    fsys.mkdirSync(project)
    fsys.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }))
    const tarballs = [packed, binary].map((p) => path.join(tmp, p.filename))
    run(NPM, ['install', ...tarballs, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], project)
    const installed = path.join(project, 'node_modules')
    assert.deepEqual(fsys.readdirSync(installed).filter((d) => !d.startsWith('.')).sort(), ['forestock', `forestock-${platform}`], 'the two packages and nothing else')

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
        const addon = Object.keys(require.cache).find((f) => f.endsWith('.node'))
        console.log(JSON.stringify({ mean: Array.from(fc.mean), upper: Array.from(fc.intervals[0].upper), batch, next: s.nextRun('plan') instanceof Date, addon }))
      })`
    const out = JSON.parse(run(process.execPath, ['-e', script], project))
    const expected = new fs.AutoETS({ seasonLength: 12 }).forecast(Float64Array.from([112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140]), 3, [95])
    assert.deepEqual(out.mean, Array.from(expected.mean), 'the installed addon computes what the repo addon computes')
    assert.deepEqual(out.upper, Array.from(expected.intervals[0].upper))
    assert.deepEqual(out.batch, { ok: [115, 126], bad: 'ERR_INVALID_SERIES' })
    assert.equal(out.next, true)
    assert.equal(out.addon, path.join(fsys.realpathSync(installed), `forestock-${platform}`, addons[0]), 'the addon of the platform package')
  } finally {
    fsys.rmSync(tmp, { recursive: true, force: true })
  }
})
