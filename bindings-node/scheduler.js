'use strict'
/**
 * Reference scheduler of the forestock package: runs job functions (the daily planning job, the
 * weekly retraining job, ...) at the fire times of cron expressions in IANA time zones.
 *
 * Fire times and every decision come from the native `schedulePlan` / `scheduleOnDue`
 * (forestock::schedule: croner syntax, daylight-saving rules and decision rules in
 * docs/scheduler.md, the same calls Python's scheduler makes); this file keeps timers, events, the
 * random source and metrics, and does no calendar arithmetic.
 *
 * Rules (docs/scheduler.md, "Decisions"; docs/node.md, "Scheduler"):
 * - jitter: each run waits a random whole number of milliseconds in 0..jitterMs after its fire
 *   time, `min(floor(u * (jitterMs + 1)), jitterMs)` for the draw `u` of `random` (injectable);
 * - no overlap: a fire time reached while the job's previous run is still going is skipped (`skip`),
 *   however late it is;
 * - misfire: otherwise a run that would start more than misfireGraceMs after it was due (its fire
 *   time plus jitter) is not run; it emits `misfire` and the job waits for its next fire time;
 * - coalescing: fire times that pass while the process is blocked or suspended collapse into one
 *   decision about the latest of them that is due, then the schedule resumes after "now" (no burst
 *   of catch-up runs);
 * - failures: a job that throws or rejects emits `failure` and keeps its schedule. The event is not
 *   called `error` because an EventEmitter throws an `error` event that has no listener; with no
 *   `failure` listener the scheduler reports the failure through `process.emitWarning`;
 * - `stop()` clears the timers, aborts the `signal` handed to running jobs and resolves once they
 *   have finished (`stop({ timeoutMs })`: or once the timeout passes, resolving to `false`);
 * - waits longer than setTimeout's limit (about 24.8 days) are split and re-armed.
 * - metrics: every finished run (success or failure) yields a metrics record from the core
 *   (`runMetrics`: status, duration, and for the ready-made jobs the plan's or the retrain's counts,
 *   read from the `forestockRun` of the result or the thrown error), emitted as `metrics`, kept as
 *   the job's last record (`lastMetrics(name)`), and rendered for Prometheus by `metricsText()`.
 * Events: `start`, `success`, `failure`, `skip`, `misfire`, each with `{ name, scheduledAt: Date, ... }`,
 * and `metrics` with the record.
 * The clock (`{ now, setTimeout, clearTimeout }`) and `random` are injectable so tests drive time.
 */
const { EventEmitter } = require('node:events')
const { cronNext, schedulePlan, scheduleOnDue, runMetrics, prometheusText } = require('./index.js')

/** setTimeout's largest delay (2^31 - 1 ms); longer waits are re-armed in steps. */
const MAX_TIMEOUT_MS = 2147483647
/** Default misfire grace: a run may start up to five minutes after it was due. */
const DEFAULT_MISFIRE_GRACE_MS = 300000

const systemClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer),
}

function invalid(message, ErrorClass = TypeError) {
  const error = new ErrorClass(message)
  error.code = 'ERR_INVALID_PARAMETER'
  return error
}

function checkMs(name, job, value) {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(`${name} of job "${job}" must be a finite number of milliseconds >= 0, got ${value}`, RangeError)
  }
  return value
}

class Scheduler extends EventEmitter {
  #clock
  #random
  #jobs = new Map()
  #runs = new Set() // { promise, controller } of every run in progress, including removed jobs'
  #started = false

  /**
   * @param {{ clock?: { now(): number, setTimeout(fn: () => void, ms: number): unknown, clearTimeout(t: unknown): void },
   *           random?: () => number }} [options] `random` returns a number in [0, 1) (default Math.random)
   */
  constructor({ clock = systemClock, random = Math.random } = {}) {
    super()
    this.#clock = clock
    this.#random = random
  }

  /**
   * Register `fn` under `name`, fired by the cron expression `cron` in `timezone`. `fn` receives
   * `{ name, scheduledAt: Date, signal: AbortSignal }` and may return a Promise, which is awaited.
   * Throws a TypeError/RangeError with code `ERR_INVALID_PARAMETER` for a bad name, function,
   * option, expression or zone (the expression is checked now, not at fire time). Returns `this`.
   */
  addJob(name, cron, fn, { timezone = 'UTC', jitterMs = 0, misfireGraceMs = DEFAULT_MISFIRE_GRACE_MS } = {}) {
    if (typeof name !== 'string' || name === '') throw invalid('job name must be a non-empty string')
    if (this.#jobs.has(name)) throw invalid(`a job named "${name}" already exists`, Error)
    if (typeof fn !== 'function') throw invalid(`job "${name}" must be a function`)
    if (typeof cron !== 'string' || typeof timezone !== 'string') throw invalid(`cron and timezone of job "${name}" must be strings`)
    const entry = {
      name, cron, timezone, fn,
      jitterMs: checkMs('jitterMs', name, jitterMs),
      misfireGraceMs: checkMs('misfireGraceMs', name, misfireGraceMs),
      timing: { jitterMs, misfireGraceMs }, // as the core's decisions take it
      nextAt: null, // the fire time the timer waits for (epoch ms)
      dueAt: null, // nextAt plus this run's jitter: when the run should start
      timer: null,
      running: null, // { promise, controller } while a run is in progress
      lastMetrics: null, // the metrics record of the last finished run
    }
    cronNext(cron, timezone, this.#clock.now()) // throws ERR_INVALID_PARAMETER for a bad expression or zone
    this.#jobs.set(name, entry)
    if (this.#started) this.#arm(entry)
    return this
  }

  /** Unregister a job (a run in progress finishes, and `stop()` waits for it). Returns whether it existed. */
  removeJob(name) {
    const entry = this.#jobs.get(name)
    if (!entry) return false
    this.#disarm(entry)
    this.#jobs.delete(name)
    return true
  }

  /** Arm every job's timer. Idempotent. Returns `this`. */
  start() {
    if (this.#started) return this
    this.#started = true
    for (const entry of this.#jobs.values()) this.#arm(entry)
    return this
  }

  /**
   * Clear every timer, abort the running jobs' signals and resolve once those runs have finished,
   * or once `timeoutMs` (default: no limit) has passed, so a job that ignores its signal cannot hang
   * the host's shutdown. Resolves to `true` when every run finished, `false` on timeout (the late
   * runs keep going in the background; JS cannot stop them).
   */
  async stop({ timeoutMs } = {}) {
    if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0)) {
      throw invalid(`timeoutMs must be a finite number of milliseconds >= 0, got ${timeoutMs}`, RangeError)
    }
    this.#started = false
    for (const entry of this.#jobs.values()) this.#disarm(entry)
    for (const run of this.#runs) run.controller.abort()
    const finished = Promise.allSettled([...this.#runs].map((run) => run.promise)).then(() => true)
    if (timeoutMs === undefined) return finished
    let timer = null
    const expired = new Promise((resolve) => {
      timer = this.#clock.setTimeout(() => resolve(false), Math.min(timeoutMs, MAX_TIMEOUT_MS))
    })
    const outcome = await Promise.race([finished, expired])
    this.#clock.clearTimeout(timer)
    return outcome
  }

  /**
   * The next fire time of a job, as a Date (without jitter): the one its timer waits for, or when
   * the scheduler is stopped, the first one after now. Throws `ERR_INVALID_PARAMETER` for an
   * unknown name.
   */
  nextRun(name) {
    const entry = this.#entry(name)
    return new Date(entry.nextAt ?? cronNext(entry.cron, entry.timezone, this.#clock.now()))
  }

  /** The metrics record of the job's last finished run (`runMetrics`), or `null` before the first. */
  lastMetrics(name) {
    return this.#entry(name).lastMetrics
  }

  /** The last metrics record of every job that has finished a run, in the Prometheus text format. */
  metricsText() {
    const records = [...this.#jobs.values()].filter((e) => e.lastMetrics !== null).sort((a, b) => (a.name < b.name ? -1 : 1))
    return prometheusText(records.map((e) => e.lastMetrics))
  }

  /** Names of the registered jobs. */
  get jobs() {
    return [...this.#jobs.keys()]
  }

  /** Whether the scheduler is started. */
  get started() {
    return this.#started
  }

  /**
   * Run a job now, outside its schedule; resolves to its result or rejects with its error (also
   * emitted as `failure`). Rejects with code `ERR_JOB_RUNNING` if the job is already running.
   */
  runNow(name) {
    const entry = this.#entry(name)
    if (entry.running) {
      const error = new Error(`job "${name}" is already running`)
      error.code = 'ERR_JOB_RUNNING'
      return Promise.reject(error)
    }
    return this.#run(entry, this.#clock.now())
  }

  #entry(name) {
    const entry = this.#jobs.get(name)
    if (!entry) throw invalid(`no job named "${name}"`, Error)
    return entry
  }

  #disarm(entry) {
    if (entry.timer !== null) this.#clock.clearTimeout(entry.timer)
    entry.timer = null
    entry.nextAt = null
    entry.dueAt = null
  }

  /** Wait for the job's next fire time after now (plus a fresh jitter), or keep waiting for the current one. */
  #arm(entry) {
    const now = this.#clock.now()
    if (entry.nextAt === null) {
      const planned = schedulePlan(entry.cron, entry.timezone, entry.timing, now, Number(this.#random()))
      entry.nextAt = planned.fireTimeMs
      entry.dueAt = planned.runAtMs
    }
    const wait = Math.min(Math.max(entry.dueAt - now, 0), MAX_TIMEOUT_MS)
    entry.timer = this.#clock.setTimeout(() => this.#wake(entry), wait)
  }

  #wake(entry) {
    entry.timer = null
    if (!this.#started || this.#jobs.get(entry.name) !== entry) return
    const now = this.#clock.now()
    const planned = { fireTimeMs: entry.nextAt, runAtMs: entry.dueAt }
    const due = scheduleOnDue(entry.cron, entry.timezone, entry.timing, planned, now, entry.running !== null)
    if (due.decision === 'wait') return this.#arm(entry) // a long wait was split: keep waiting
    entry.nextAt = null
    this.#arm(entry)
    const info = { name: entry.name, scheduledAt: new Date(due.fireTimeMs) }
    if (due.decision === 'skip_running') {
      this.emit('skip', { ...info, reason: 'previous run still in progress' })
    } else if (due.decision === 'misfire') {
      this.emit('misfire', { ...info, lateMs: due.lateMs })
    } else {
      this.#run(entry, due.fireTimeMs).catch(() => {}) // reported through the `failure` event
    }
  }

  #run(entry, scheduledAt) {
    const controller = new AbortController()
    const info = { name: entry.name, scheduledAt: new Date(scheduledAt) }
    const run = { controller, promise: null }
    run.promise = (async () => {
      await null // run the body after `entry.running` is set, even if the job throws synchronously
      const startedAt = this.#clock.now()
      try {
        this.emit('start', info)
        const result = await entry.fn({ ...info, signal: controller.signal })
        this.#recordMetrics(entry, result, true, startedAt)
        this.emit('success', { ...info, result, durationMs: this.#clock.now() - startedAt })
        return result
      } catch (error) {
        this.#recordMetrics(entry, error, false, startedAt)
        this.#reportFailure({ ...info, error, durationMs: this.#clock.now() - startedAt })
        throw error
      } finally {
        entry.running = null
        this.#runs.delete(run)
      }
    })()
    entry.running = run
    this.#runs.add(run)
    return run.promise
  }

  /** The run's metrics record from the core, kept and emitted; a record that cannot be made is a warning, never a failed run. */
  #recordMetrics(entry, outcome, ok, startedAt) {
    const now = this.#clock.now()
    try {
      const [kind, summary] = (outcome !== null && typeof outcome === 'object' && Array.isArray(outcome.forestockRun)) ? outcome.forestockRun : ['job', null]
      // A job whose planned periods' demand is now known returns the realised accuracy by class
      // (`realisedAccuracy`) as `forestockRealised`; the record carries it.
      const realised = (outcome !== null && typeof outcome === 'object' && outcome.forestockRealised) || null
      entry.lastMetrics = runMetrics(kind, entry.name, Math.max(now - startedAt, 0) / 1000, { summary, ok, finishedAt: now / 1000, realised })
    } catch (error) {
      process.emitWarning(`job "${entry.name}": no metrics record for this run: ${error && error.message}`, { type: 'ForestockSchedulerWarning' })
      return
    }
    try {
      this.emit('metrics', entry.lastMetrics)
    } catch (error) {
      process.emitWarning(`a 'metrics' listener of job "${entry.name}" threw: ${error && error.message}`, { type: 'ForestockSchedulerWarning' })
    }
  }

  #reportFailure(event) {
    if (this.listenerCount('failure') > 0) {
      this.emit('failure', event)
    } else {
      const detail = event.error instanceof Error ? event.error.message : String(event.error)
      process.emitWarning(`job "${event.name}" failed: ${detail}`, { type: 'ForestockSchedulerWarning' })
    }
  }
}

module.exports = { Scheduler, MAX_TIMEOUT_MS, DEFAULT_MISFIRE_GRACE_MS }
