'use strict'
// cronNext (native, forestock::schedule) and the package Scheduler, driven by a fake clock.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('..')
const { Scheduler, MAX_TIMEOUT_MS, DEFAULT_MISFIRE_GRACE_MS } = require('../scheduler.js')
const { throwsCode } = require('./helpers')

const utc = (s) => Date.parse(s)
const iso = (ms) => new Date(ms).toISOString()
const settle = () => new Promise(setImmediate)

/** A manual clock: timers fire only when the test moves time. */
class FakeClock {
  constructor(start) {
    this.t = start
    this.timers = new Map()
    this.nextId = 1
    this.delays = []
  }
  now() { return this.t }
  setTimeout(fn, ms) {
    assert.ok(ms >= 0 && ms <= MAX_TIMEOUT_MS, `delay ${ms}`)
    this.delays.push(ms)
    const id = this.nextId++
    this.timers.set(id, { at: this.t + ms, fn })
    return id
  }
  clearTimeout(id) { this.timers.delete(id) }
  #nextDue(target) {
    return [...this.timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0]
  }
  /** Move time forward to `target`, firing each due timer at its own time and letting jobs settle. */
  async advanceTo(target) {
    for (let due = this.#nextDue(target); due; due = this.#nextDue(target)) {
      this.timers.delete(due[0])
      this.t = Math.max(this.t, due[1].at)
      due[1].fn()
      await settle()
    }
    this.t = target
    await settle()
  }
  /** Jump to `target` at once (a suspended machine, a blocked event loop): due timers fire late. */
  async jumpTo(target) {
    this.t = target
    await this.advanceTo(target)
  }
}

/** Record every scheduler event as 'kind@HH:MM' (UTC) plus the raw payloads. */
function record(s) {
  const log = []
  const events = []
  for (const kind of ['start', 'success', 'failure', 'skip', 'misfire']) {
    s.on(kind, (e) => { log.push(`${kind}@${e.scheduledAt.toISOString().slice(11, 16)}`); events.push({ kind, ...e }) })
  }
  return { log, events }
}

test('cronNext follows the core schedule, including time zones and DST', () => {
  // Weekdays 06:00 in Berlin, asked on Friday 2026-01-02 12:00 UTC: Monday 06:00 CET = 05:00 UTC.
  assert.equal(fs.cronNext('0 6 * * MON-FRI', 'Europe/Berlin', utc('2026-01-02T12:00:00Z')), utc('2026-01-05T05:00:00Z'))
  // Strictly after: asked exactly at a fire time gives the next one.
  assert.equal(fs.cronNext('0 6 * * *', 'UTC', utc('2026-01-05T06:00:00Z')), utc('2026-01-06T06:00:00Z'))
  assert.match(fs.cronDescribe('0 6 * * MON-FRI', 'UTC'), /06:00/)
  throwsCode(() => fs.cronNext('0 6 * *', 'UTC', 0), 'ERR_INVALID_PARAMETER', /expression/)
  throwsCode(() => fs.cronNext('0 6 * * *', 'Mars/Olympus', 0), 'ERR_INVALID_PARAMETER', /timezone/)
  throwsCode(() => fs.cronNext('0 6 * * *', 'UTC', NaN), 'ERR_INVALID_PARAMETER', /afterMs/)
  throwsCode(() => fs.cronNext('0 0 30 2 *', 'UTC', 0), 'ERR_INVALID_PARAMETER', /never fires/)
})

test('runs a job at each fire time in its time zone; nextRun is a Date', async () => {
  const clock = new FakeClock(utc('2026-01-02T12:00:00Z')) // a Friday
  const runs = []
  const s = new Scheduler({ clock }).addJob('daily-plan', '0 6 * * MON-FRI', async ({ scheduledAt, signal }) => {
    assert.ok(signal instanceof AbortSignal)
    runs.push(scheduledAt.toISOString())
    return runs.length
  }, { timezone: 'Europe/Berlin' })
  const { events } = record(s)
  // Before start: the first fire time after now (what start() will arm).
  assert.ok(s.nextRun('daily-plan') instanceof Date)
  assert.equal(s.nextRun('daily-plan').toISOString(), '2026-01-05T05:00:00.000Z') // Monday 06:00 CET
  assert.equal(s.started, false)
  assert.equal(s.start(), s)
  assert.equal(s.started, true)
  assert.equal(s.nextRun('daily-plan').toISOString(), '2026-01-05T05:00:00.000Z')
  await clock.advanceTo(utc('2026-01-10T12:00:00Z'))
  assert.deepEqual(runs, ['05', '06', '07', '08', '09'].map((d) => `2026-01-${d}T05:00:00.000Z`))
  assert.deepEqual(events.filter((e) => e.kind === 'success').map((e) => e.result), [1, 2, 3, 4, 5])
  assert.equal(s.nextRun('daily-plan').toISOString(), '2026-01-12T05:00:00.000Z')
  await s.stop()
  assert.equal(clock.timers.size, 0)
  await clock.advanceTo(utc('2026-01-20T12:00:00Z'))
  assert.equal(runs.length, 5, 'no run after stop')
})

/** Run `cron` in `timezone` from `from` to `to` on a fake clock; the UTC instants of the runs. */
async function fireTimes(cron, timezone, from, to) {
  const clock = new FakeClock(utc(from))
  const runs = []
  const s = new Scheduler({ clock }).addJob('job', cron, ({ scheduledAt }) => { runs.push(iso(clock.now())); assert.equal(scheduledAt.getTime(), clock.now()) }, { timezone })
  s.start()
  await clock.advanceTo(utc(to))
  await s.stop()
  return runs
}

test('DST in Europe/Berlin: spring forward and fall back', async () => {
  // 2026-03-29 02:00 CET -> 03:00 CEST: 02:30 does not exist; the daily job fires once, at 03:00 CEST.
  assert.deepEqual(await fireTimes('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', '2026-03-31T12:00:00Z'), [
    '2026-03-28T01:30:00.000Z', // 02:30 CET
    '2026-03-29T01:00:00.000Z', // 03:00 CEST, end of the gap
    '2026-03-30T00:30:00.000Z', // 02:30 CEST
    '2026-03-31T00:30:00.000Z',
  ])
  // An interval job loses no real time across the gap: 01:30 CET, then 03:00 CEST, 30 minutes later.
  assert.deepEqual(await fireTimes('*/30 * * * *', 'Europe/Berlin', '2026-03-29T00:10:00Z', '2026-03-29T01:40:00Z'),
    ['2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z'])
  // 2026-10-25 03:00 CEST -> 02:00 CET: 02:30 occurs twice; the daily job fires once, at the first.
  assert.deepEqual(await fireTimes('30 2 * * *', 'Europe/Berlin', '2026-10-23T12:00:00Z', '2026-10-27T12:00:00Z'), [
    '2026-10-24T00:30:00.000Z', // 02:30 CEST
    '2026-10-25T00:30:00.000Z', // 02:30 CEST, first occurrence only
    '2026-10-26T01:30:00.000Z', // 02:30 CET
    '2026-10-27T01:30:00.000Z',
  ])
  // An hourly job fires in both 02:00 hours (02:00 CEST = 00:00Z, 02:00 CET = 01:00Z).
  assert.deepEqual(await fireTimes('0 * * * *', 'Europe/Berlin', '2026-10-24T22:30:00Z', '2026-10-25T02:30:00Z'),
    ['2026-10-24T23:00:00.000Z', '2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z'])
})

test('DST in America/New_York: the weekly retrain keeps 03:00 local', async () => {
  // DST starts Sunday 2026-03-08 02:00 EST -> 03:00 EDT.
  assert.deepEqual(await fireTimes('0 3 * * SUN', 'America/New_York', '2026-02-28T00:00:00Z', '2026-03-16T00:00:00Z'),
    ['2026-03-01T08:00:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-15T07:00:00.000Z'])
  assert.deepEqual(await fireTimes('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z'),
    ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']) // 03:00 EDT (02:30 is in the gap), then 02:30 EDT
  // DST ends Sunday 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 occurs twice, the job fires at the first.
  assert.deepEqual(await fireTimes('30 1 * * *', 'America/New_York', '2026-10-31T00:00:00Z', '2026-11-02T12:00:00Z'),
    ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'])
})

test('a job never overlaps itself: a fire time reached during a run emits skip', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  let release
  let calls = 0
  const s = new Scheduler({ clock }).addJob('slow', '*/5 * * * *', () => {
    calls++
    return calls === 1 ? new Promise((resolve) => { release = resolve }) : 'quick'
  })
  const { log, events } = record(s)
  s.start()
  await clock.advanceTo(utc('2026-01-01T00:17:00Z')) // 00:05 starts and hangs; 00:10 and 00:15 are skipped
  assert.equal(calls, 1, 'not run twice')
  release('done')
  await settle()
  await clock.advanceTo(utc('2026-01-01T00:21:00Z')) // 00:20 runs again
  await s.stop()
  assert.deepEqual(log, ['start@00:05', 'skip@00:10', 'skip@00:15', 'success@00:05', 'start@00:20', 'success@00:20'])
  assert.equal(events.find((e) => e.kind === 'skip').reason, 'previous run still in progress')
  assert.equal(calls, 2)
})

test('a running job is skipped, not misfired, however late (the core checks overlap first)', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  let release
  const s = new Scheduler({ clock }).addJob('slow', '0 * * * *', () => new Promise((resolve) => { release = resolve }), { misfireGraceMs: 60000 })
  const { log, events } = record(s)
  s.start()
  await clock.advanceTo(utc('2026-01-01T01:00:30Z')) // the 01:00 run starts and hangs
  await clock.jumpTo(utc('2026-01-01T02:20:00Z')) // 02:00 is 20 minutes late, beyond the grace
  assert.deepEqual(log, ['start@01:00', 'skip@02:00'])
  assert.equal(events[1].reason, 'previous run still in progress')
  release('done')
  await settle()
  await s.stop()
})

test('a failing job emits failure and the scheduler keeps going', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  let calls = 0
  const s = new Scheduler({ clock }).addJob('flaky', '0 * * * *', async () => {
    calls++
    if (calls === 1) throw new Error('database down')
    if (calls === 2) return Promise.reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))
    return 'ok'
  })
  const { log, events } = record(s)
  s.start()
  await clock.advanceTo(utc('2026-01-01T03:30:00Z'))
  await s.stop()
  assert.deepEqual(log, ['start@01:00', 'failure@01:00', 'start@02:00', 'failure@02:00', 'start@03:00', 'success@03:00'])
  const failures = events.filter((e) => e.kind === 'failure')
  assert.equal(failures[0].error.message, 'database down')
  assert.equal(failures[1].error.code, 'ETIMEDOUT')
  assert.equal(typeof failures[0].durationMs, 'number')
  // A synchronous throw is a failure too, and runNow rejects with it.
  const s2 = new Scheduler({ clock }).addJob('sync', '@daily', () => { throw new RangeError('bad') })
  const seen = []
  s2.on('failure', (e) => seen.push(e.error))
  await assert.rejects(s2.runNow('sync'), RangeError)
  assert.equal(seen.length, 1)
  // A listener that throws is reported as a failure of that run; the job is not left "running".
  const s3 = new Scheduler({ clock }).addJob('noisy', '@daily', () => 'ran')
  let starts = 0
  s3.on('start', () => { if (++starts === 1) throw new Error('listener bug') })
  s3.on('failure', () => {})
  await assert.rejects(s3.runNow('noisy'), /listener bug/)
  assert.equal(await s3.runNow('noisy'), 'ran')
})

test('a failure with no failure listener becomes a process warning, never an uncaught error', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  const warnings = []
  const emitWarning = process.emitWarning
  process.emitWarning = (message, options) => warnings.push({ message, name: options.type }) // captured, not printed
  try {
    const s = new Scheduler({ clock }).addJob('lonely', '0 * * * *', () => { throw new Error('no one listens') }).start()
    await clock.advanceTo(utc('2026-01-01T02:30:00Z'))
    await s.stop()
  } finally {
    process.emitWarning = emitWarning
  }
  const ours = warnings.filter((w) => w.name === 'ForestockSchedulerWarning')
  assert.equal(ours.length, 2)
  assert.match(ours[0].message, /job "lonely" failed: no one listens/)
})

test('misfire: a fire time reached beyond the grace period is not run', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  const runs = []
  const s = new Scheduler({ clock }).addJob('hourly', '0 * * * *', ({ scheduledAt }) => runs.push(iso(scheduledAt)), { misfireGraceMs: 60000 })
  const { log, events } = record(s)
  s.start()
  // The machine sleeps from 00:00 to 01:20: the 01:00 run would start 20 minutes late.
  await clock.jumpTo(utc('2026-01-01T01:20:00Z'))
  assert.deepEqual(runs, [])
  assert.deepEqual(log, ['misfire@01:00'])
  assert.equal(events[0].lateMs, 20 * 60000)
  assert.equal(s.nextRun('hourly').toISOString(), '2026-01-01T02:00:00.000Z', 'the schedule resumes after now')
  // Late by exactly the grace: still runs.
  await clock.jumpTo(utc('2026-01-01T02:01:00Z'))
  assert.deepEqual(runs, ['2026-01-01T02:00:00.000Z'])
  await s.stop()
  assert.equal(DEFAULT_MISFIRE_GRACE_MS, 300000)
})

test('missed fire times within the grace period coalesce into one run', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  const runs = []
  const s = new Scheduler({ clock }).addJob('minutely', '* * * * *', ({ scheduledAt }) => runs.push(iso(scheduledAt)))
  const { log } = record(s)
  s.start()
  // A blocked event loop: the 00:01 timer fires at 00:04:30; 00:01..00:04 were all reached.
  await clock.jumpTo(utc('2026-01-01T00:04:30Z'))
  assert.deepEqual(runs, ['2026-01-01T00:04:00.000Z'], 'one run, for the latest fire time')
  assert.deepEqual(log, ['start@00:04', 'success@00:04'])
  assert.equal(s.nextRun('minutely').toISOString(), '2026-01-01T00:05:00.000Z')
  // A long suspension (two days) with a small grace: the fire times inside the grace window still
  // coalesce into one run; nothing older is replayed.
  await s.stop()
  const c2 = new FakeClock(utc('2026-01-01T00:00:00Z'))
  const daily = []
  const s2 = new Scheduler({ clock: c2 }).addJob('every10', '*/10 * * * *', ({ scheduledAt }) => daily.push(iso(scheduledAt)), { misfireGraceMs: 25 * 60000 })
  s2.start()
  await c2.jumpTo(utc('2026-01-03T00:15:00Z'))
  assert.deepEqual(daily, ['2026-01-03T00:10:00.000Z'])
  await s2.stop()
})

test('jitter delays each run by the injected random fraction of jitterMs', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  const draws = [0, 0.5, 0.999999, 0.25]
  const started = []
  const s = new Scheduler({ clock, random: () => draws.shift() ?? 0 })
    .addJob('jittered', '0 * * * *', ({ scheduledAt }) => started.push(clock.now() - scheduledAt.getTime()), { jitterMs: 60000 })
  s.start()
  await clock.advanceTo(utc('2026-01-01T04:30:00Z'))
  await s.stop()
  assert.deepEqual(started, [0, 30000, 60000, 15000])
  // A seeded generator: every delay stays within [0, jitterMs]; nextRun reports the fire time itself.
  let seed = 12345
  const lcg = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const c2 = new FakeClock(utc('2026-01-01T00:00:00Z'))
  const delays = []
  const s2 = new Scheduler({ clock: c2, random: lcg })
    .addJob('j', '*/5 * * * *', ({ scheduledAt }) => delays.push(c2.now() - scheduledAt.getTime()), { jitterMs: 90000 })
  s2.start()
  assert.equal(s2.nextRun('j').toISOString(), '2026-01-01T00:05:00.000Z')
  await c2.advanceTo(utc('2026-01-01T10:00:00Z'))
  await s2.stop()
  assert.equal(delays.length, 119)
  assert.ok(delays.every((d) => Number.isInteger(d) && d >= 0 && d <= 90000), String(delays))
  assert.ok(new Set(delays).size > 50, 'the delays vary')
})

test('stop() aborts the signal and waits for a running async job', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  let release
  let aborted = false
  const s = new Scheduler({ clock }).addJob('long', '0 * * * *', async ({ signal }) => {
    signal.addEventListener('abort', () => { aborted = true })
    await new Promise((resolve) => { release = resolve })
    return 'finished'
  })
  const { log } = record(s)
  s.start()
  await clock.advanceTo(utc('2026-01-01T01:00:30Z'))
  let stopped = false
  const stopping = s.stop().then(() => { stopped = true })
  await settle()
  assert.equal(aborted, true, 'the job is told to stop')
  assert.equal(stopped, false, 'stop() waits for the run')
  assert.equal(clock.timers.size, 0)
  release()
  await stopping
  assert.equal(stopped, true)
  assert.deepEqual(log, ['start@01:00', 'success@01:00'])
  // Restarting arms the schedule again from now.
  s.start()
  assert.equal(s.nextRun('long').toISOString(), '2026-01-01T02:00:00.000Z')
  // A job removed during its run is still waited for.
  await clock.advanceTo(utc('2026-01-01T02:00:30Z'))
  assert.equal(s.removeJob('long'), true)
  stopped = false
  const stopping2 = s.stop().then(() => { stopped = true })
  await settle()
  assert.equal(stopped, false)
  release()
  await stopping2
  assert.equal(stopped, true)
})

test('long waits are split below the setTimeout limit', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  const runs = []
  const s = new Scheduler({ clock }).addJob('yearly', '@yearly', ({ scheduledAt }) => runs.push(scheduledAt.getUTCFullYear()))
  s.start()
  await clock.advanceTo(utc('2027-06-01T00:00:00Z'))
  assert.deepEqual(runs, [2027])
  assert.ok(clock.delays.every((d) => d <= MAX_TIMEOUT_MS) && clock.delays.length > 10, 'a year is waited in steps')
  await s.stop()
})

test('bad cron, zone or options give coded ERR_INVALID_PARAMETER errors', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  const s = new Scheduler({ clock }).addJob('retrain', '0 3 * * SUN', async () => 'retrained', { timezone: 'America/New_York' })
  const noop = () => {}
  throwsCode(() => s.addJob('bad', '61 * * * *', noop), 'ERR_INVALID_PARAMETER', /expression/)
  throwsCode(() => s.addJob('bad', '0 3 * *', noop), 'ERR_INVALID_PARAMETER', /expression/)
  throwsCode(() => s.addJob('bad', '0 3 * * *', noop, { timezone: 'Nowhere/City' }), 'ERR_INVALID_PARAMETER', /timezone/)
  throwsCode(() => s.addJob('bad', '0 0 30 2 *', noop), 'ERR_INVALID_PARAMETER', /never fires/)
  throwsCode(() => s.addJob('retrain', '0 3 * * *', noop), 'ERR_INVALID_PARAMETER', /already exists/)
  throwsCode(() => s.addJob('', '0 3 * * *', noop), 'ERR_INVALID_PARAMETER', /name/)
  throwsCode(() => s.addJob('nofn', '0 3 * * *'), 'ERR_INVALID_PARAMETER', /function/)
  throwsCode(() => s.addJob('nocron', undefined, noop), 'ERR_INVALID_PARAMETER', /strings/)
  throwsCode(() => s.addJob('j', '0 3 * * *', noop, { jitterMs: -1 }), 'ERR_INVALID_PARAMETER', /jitterMs/)
  throwsCode(() => s.addJob('j', '0 3 * * *', noop, { misfireGraceMs: NaN }), 'ERR_INVALID_PARAMETER', /misfireGraceMs/)
  throwsCode(() => s.addJob('j', '0 3 * * *', noop, { misfireGraceMs: Infinity }), 'ERR_INVALID_PARAMETER', /misfireGraceMs/)
  throwsCode(() => s.nextRun('missing'), 'ERR_INVALID_PARAMETER', /no job/)
  assert.deepEqual(s.jobs, ['retrain'], 'rejected jobs are not registered')
})

test('runNow and removeJob', async () => {
  const clock = new FakeClock(utc('2026-01-01T00:00:00Z'))
  let release
  const s = new Scheduler({ clock })
    .addJob('retrain', '0 3 * * SUN', async () => 'retrained', { timezone: 'America/New_York' })
    .addJob('slow', '@daily', () => new Promise((resolve) => { release = resolve }))
  assert.equal(await s.runNow('retrain'), 'retrained')
  const slow = s.runNow('slow')
  await assert.rejects(s.runNow('slow'), (e) => e.code === 'ERR_JOB_RUNNING')
  release(1)
  assert.equal(await slow, 1)
  s.start()
  assert.equal(s.nextRun('retrain').toISOString(), '2026-01-04T08:00:00.000Z') // Sunday 03:00 EST
  assert.equal(clock.timers.size, 2)
  assert.equal(s.removeJob('retrain'), true)
  assert.equal(s.removeJob('retrain'), false)
  assert.deepEqual(s.jobs, ['slow'])
  assert.equal(clock.timers.size, 1)
  await s.stop()
})

