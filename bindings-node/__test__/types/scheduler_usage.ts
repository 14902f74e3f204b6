// Typed usage check of scheduler.d.ts (compiled with `tsc --noEmit --strict` by scheduler.test.js,
// never run). Correct calls must compile; each `@ts-expect-error` line must be rejected by the types.
import { Scheduler, SchedulerClock, JobContext, DEFAULT_MISFIRE_GRACE_MS } from '../../scheduler'

const clock: SchedulerClock = { now: () => 0, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t as number) }
const s = new Scheduler({ clock, random: () => 0.5 })
  .addJob('daily-plan', '0 6 * * MON-FRI', async ({ name, scheduledAt, signal }: JobContext) => {
    const late: number = Date.now() - scheduledAt.getTime()
    return signal.aborted ? `${name} aborted` : late
  }, { timezone: 'Europe/Berlin', jitterMs: 60_000, misfireGraceMs: DEFAULT_MISFIRE_GRACE_MS })
  .addJob('sync', '@hourly', () => 1)
s.on('failure', ({ name, error, durationMs }) => console.log(name, error, durationMs.toFixed(0)))
s.on('misfire', ({ scheduledAt, lateMs }) => console.log(scheduledAt.toISOString(), lateMs))
s.on('skip', ({ reason }) => console.log(reason.length))
const next: Date = s.start().nextRun('daily-plan')
const names: string[] = s.jobs
const started: boolean = s.started
async function shutdown(): Promise<void> {
  await s.stop()
  const result: unknown = await s.runNow('sync')
  console.log(next, names, started, result, s.removeJob('sync'))
}
void shutdown()
// @ts-expect-error the cron expression is the second argument, not an options object
s.addJob('old-style', { cron: '0 6 * * *', job: () => 1 })
// @ts-expect-error jitterMs is a number of milliseconds
s.addJob('bad', '0 6 * * *', () => 1, { jitterMs: '1m' })
// @ts-expect-error nextRun returns a Date, not a number
const wrong: number = s.nextRun('daily-plan')
console.log(wrong)
