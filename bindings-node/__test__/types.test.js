'use strict'
// index.d.ts is generated, main.d.ts / scheduler.d.ts / jobs.d.ts are written by hand: check that typed
// usage of all of them compiles, in one tsc run (TypeScript comes with @napi-rs/cli). The shim stands in
// for @types/node's `node:events`, which is not a dependency.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

test('typed usage compiles against the package types (tsc --noEmit)', () => {
  const tsc = require.resolve('typescript/bin/tsc')
  const files = ['node-events-shim.d.ts', 'usage.ts', 'scheduler_usage.ts'].map((f) => path.join(__dirname, 'types', f))
  const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'commonjs', '--lib', 'es2022,dom', ...files]
  try {
    execFileSync(process.execPath, args, { encoding: 'utf8', stdio: 'pipe' })
  } catch (e) {
    assert.fail(`tsc reported type errors:\n${e.stdout}${e.stderr}`)
  }
})
