'use strict'
/**
 * Ready-made jobs for the package's scheduler (`require('forestock/jobs')`): each factory returns an
 * async function `(context) => result` to register with the scheduler; `context` is whatever the
 * scheduler passes (`{ name, scheduledAt }`) and is handed on to `load` and `store`.
 *
 * - `dailyPlanJob({ load, store, audit, auditFile, ...planOptions })`: `await load(context)` resolves to
 *   `{ histories, items }`; the job runs `plan(histories, items, planOptions)` (libuv pool) and
 *   `await store(result, context)`.
 * - `weeklyRetrainJob({ load, store, audit, auditFile, ...retrainOptions })`: `await load(context)` resolves to
 *   `{ histories, registry }` (a `Registry`); the job runs `retrain(histories, registry,
 *   retrainOptions)`, which updates the registry, then `await store(report, registry, context)`.
 *
 * With `audit` (an `AuditLog`) every run appends one record, kind `'run'` (daily) or `'retrain'`
 * (weekly), with the job name, `status: 'success' | 'failure'` and the run's figures or error; a
 * failing run is recorded and its error re-thrown, so the scheduler reports it too. A plan the core
 * calls degraded (more than half of the SKUs failed) or failed (none planned) is stored, then
 * recorded as a failure with its figures and `runStatus`, and the job rejects with code
 * `ERR_PLAN_DEGRADED` / `ERR_PLAN_FAILED` (the error's `result` holds the plan). With
 * `auditFile` (a path) the record goes through the core's locked file append
 * (`audit.appendToFile`): chained onto the file's real last record under an exclusive lock, so
 * several processes running jobs can share one audit file (an `AuditLog` is created when `audit`
 * is not given). Without `auditFile`, persisting the log is up to `store`. No computation happens
 * here: the numbers come from the native `plan` / `retrain`.
 */
const native = require('./index.js')

/** A `TypeError` carrying the package's stable `code`. */
function codedTypeError(code, message) {
  const error = new TypeError(message)
  error.code = code
  return error
}

function requireFunction(options, name, factory) {
  if (typeof options[name] !== 'function') {
    throw codedTypeError('ERR_INVALID_PARAMETER', `${factory}: \`${name}\` must be a function`)
  }
}

function checkOptions(options, factory) {
  if (options === null || typeof options !== 'object') {
    throw codedTypeError('ERR_INVALID_PARAMETER', `${factory}: options must be an object`)
  }
  requireFunction(options, 'load', factory)
  requireFunction(options, 'store', factory)
  if (options.audit != null && (typeof options.audit.append !== 'function')) {
    throw codedTypeError('ERR_INVALID_PARAMETER', `${factory}: \`audit\` must be an AuditLog`)
  }
  if (options.auditFile != null && typeof options.auditFile !== 'string') {
    throw codedTypeError('ERR_INVALID_PARAMETER', `${factory}: \`auditFile\` must be a path (string)`)
  }
}

/** Where a job's records go: `append(kind, payload)` on the log, through the locked file append
 * when `auditFile` is given; `null` when the job is not audited. */
function auditTarget(audit, auditFile) {
  if (auditFile != null) {
    const log = audit || new native.AuditLog()
    return { append: (kind, payload) => log.appendToFile(auditFile, kind, payload) }
  }
  return audit || null
}

function loaded(value, fields, factory) {
  for (const field of fields) {
    if (value == null || value[field] == null) {
      throw codedTypeError('ERR_MISSING_DATA', `${factory}: load() must resolve to an object with \`${fields.join('`, `')}\` (missing \`${field}\`)`)
    }
  }
  return value
}

function contextFields(context) {
  const out = {}
  if (context && typeof context.name === 'string') out.name = context.name
  if (context && context.scheduledAt instanceof Date) out.scheduledAt = context.scheduledAt.toISOString()
  return out
}

/** Append the core's records of a run (`[{ kind, payload }]`, the same records Python's jobs write). */
function appendRecords(audit, records) {
  for (const record of records) audit.append(record.kind, record.payload)
}

/**
 * Run `body`, which resolves to the core's audit records of the run (`result.audit`), and append
 * them to `audit` when given. A plan the core called degraded or failed rejects with its records
 * attached (`error.auditRecords`): they go on record as they are. A run that fails before the core
 * produced records (load, store or the call itself threw) is recorded as
 * `{ job, name?, scheduledAt?, status: 'failure', error: { code, message } }`.
 */
async function audited(audit, job, context, body) {
  let records
  try {
    records = await body()
  } catch (error) {
    if (audit) {
      if (error && Array.isArray(error.auditRecords)) appendRecords(audit, error.auditRecords)
      else audit.append('run', { job, ...contextFields(context), status: 'failure', error: { code: error && error.code ? String(error.code) : 'ERR_JOB', message: String(error && error.message) } })
    }
    throw error
  }
  if (audit) appendRecords(audit, records)
}

/**
 * The error of a plan the core called degraded (more than half of the SKUs failed) or failed (none
 * planned): code `ERR_PLAN_DEGRADED` | `ERR_PLAN_FAILED`, with `result` (the stored plan) and
 * `auditRecords` (the core's records of the run, which say so in their `status`).
 */
function planRunError(result) {
  const { stats } = result
  const codes = Object.entries(stats.failuresByCode || {}).sort((a, b) => b[1] - a[1]).slice(0, 3)
  const error = new Error(`daily plan ${stats.status}: ${stats.planned} of ${stats.skus} SKUs planned, ${stats.failed} failed (${codes.map(([c, n]) => `${c} x${n}`).join(', ') || 'no failures recorded'})`)
  error.code = `ERR_PLAN_${String(stats.status).toUpperCase()}`
  error.result = result
  error.auditRecords = result.audit
  error.forestockRun = ['plan', stats]
  return error
}

/**
 * `result` with a non-enumerable `forestockRun = [kind, summary]`, from which the scheduler makes
 * the run's metrics record (`runMetrics`); the result's own fields are unchanged.
 */
function withRun(result, kind, summary) {
  Object.defineProperty(result, 'forestockRun', { value: [kind, summary], enumerable: false, configurable: true })
  return result
}

/** The daily planning job: load histories and item master, plan, store the result. */
function dailyPlanJob(options) {
  checkOptions(options, 'dailyPlanJob')
  const { load, store, audit: log, auditFile, ...planOptions } = options
  const audit = auditTarget(log, auditFile)
  return async function dailyPlan(context) {
    let result
    await audited(audit, 'daily_plan', context, async () => {
      const { histories, items } = loaded(await load(context), ['histories', 'items'], 'dailyPlanJob')
      result = await native.plan(histories, items, planOptions)
      await store(result, context)
      if (result.stats.status !== 'ok') throw planRunError(result)
      return result.audit
    })
    return withRun(result, 'plan', result.stats)
  }
}

/** The weekly retraining job: load histories and the registry, retrain, store report and registry. */
function weeklyRetrainJob(options) {
  checkOptions(options, 'weeklyRetrainJob')
  const { load, store, audit: log, auditFile, ...retrainOptions } = options
  const audit = auditTarget(log, auditFile)
  return async function weeklyRetrain(context) {
    let report
    await audited(audit, 'weekly_retrain', context, async () => {
      const { histories, registry } = loaded(await load(context), ['histories', 'registry'], 'weeklyRetrainJob')
      if (!(registry instanceof native.Registry)) {
        throw codedTypeError('ERR_INVALID_PARAMETER', 'weeklyRetrainJob: load() must resolve `registry` to a Registry')
      }
      report = await native.retrain(histories, registry, retrainOptions)
      await store(report, registry, context)
      return report.audit
    })
    return withRun(report, 'retrain', report)
  }
}

module.exports = { dailyPlanJob, weeklyRetrainJob }
