// Keeps the reminder schedule in SQLite and fires what is due. Each tick (a) plans the steps of the open and
// the previous period for every unit that has a linked group, (b) fires due steps: marking a step fired and
// queueing its messages happen in one transaction, so a step never fires twice, even across restarts.
import type { Clock } from "../core/clock.js";
import type { Ctx } from "../core/conversation/context.js";
import { currentPeriod } from "../core/conversation/context.js";
import { fireReminder, isQuiet, outOfQuietHours, planReminders, stepsFor, type ReminderAction } from "../core/conversation/reminders.js";
import { parsePeriodKey, periodKey, previousPeriod } from "../core/periods.js";
import type { Prompts } from "../config/load-prompts.js";
import type { DB } from "../store/db.js";
import { effectApplier } from "../store/apply-effects.js";
import { SqlWorld } from "../store/sql-world.js";
import type { Logger } from "./logger.js";

/** A reminder older than this when the bot comes back is dropped rather than sent late. */
const STALE_MS = 2 * 86_400_000;

export class ReminderScheduler {
  private readonly world: SqlWorld;
  private readonly apply;
  private timer?: NodeJS.Timeout;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: DB,
    private readonly prompts: Prompts,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.world = new SqlWorld(db);
    this.apply = effectApplier(db);
  }

  onQueued(listener: () => void): void {
    this.listeners.add(listener);
  }

  start(intervalMs = 60_000): void {
    const run = () => {
      try {
        this.tick();
      } catch (err) {
        this.log.error({ err }, "reminder tick failed");
      }
    };
    run();
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private ctx(): Ctx {
    return { world: this.world, forms: this.prompts.forms, messages: this.prompts.messages, report: this.prompts.report, now: this.clock.now(), newToken: () => "" };
  }

  /** Plans and fires; returns how many steps fired (with or without messages). */
  tick(): number {
    const ctx = this.ctx();
    const form = ctx.forms[0]!;
    if (form.reminders.schedule.length === 0) return 0;
    const insert = this.db.prepare(
      "INSERT OR IGNORE INTO reminder_jobs (unit_code, form_id, period_key, step, due_at) VALUES (?, ?, ?, ?, ?)",
    );
    const units = this.db.prepare<[], { unit_code: string }>("SELECT DISTINCT unit_code FROM chats").all();
    this.db.transaction(() => {
      for (const { unit_code } of units) {
        const unit = this.world.unit(unit_code);
        if (!unit) continue;
        const actions = stepsFor(unit);
        const open = currentPeriod(ctx, form, unit.code);
        for (const period of [previousPeriod(open), open]) {
          for (const plan of planReminders(form, period)) {
            if (actions.includes(plan.action)) insert.run(unit.code, form.id, periodKey(period), plan.step, plan.dueAt);
          }
        }
      }
    })();

    const now = ctx.now.getTime();
    const due = this.db
      .prepare<[number], { unit_code: string; form_id: string; period_key: string; step: string; due_at: number }>(
        "SELECT unit_code, form_id, period_key, step, due_at FROM reminder_jobs WHERE fired_at IS NULL AND due_at <= ? ORDER BY due_at",
      )
      .all(now);
    let fired = 0;
    let queued = false;
    for (const job of due) {
      const action = form.reminders.schedule.find((s) => s.id === job.step)?.action as ReminderAction | undefined;
      const unit = this.world.unit(job.unit_code);
      const period = parsePeriodKey(job.period_key);
      this.db.transaction(() => {
        // Unknown steps, and steps long past (the bot was down), are closed without a message.
        if (!action || !unit || !period || job.form_id !== form.id || now - job.due_at > STALE_MS) {
          this.markFired(job, now);
          return;
        }
        // Never ping at night: a step that comes due (or is caught up) in quiet hours waits for the morning.
        if (isQuiet(form, now)) {
          this.db.prepare("UPDATE reminder_jobs SET due_at = ? WHERE unit_code = ? AND form_id = ? AND period_key = ? AND step = ?")
            .run(outOfQuietHours(form, now), job.unit_code, job.form_id, job.period_key, job.step);
          return;
        }
        if (!this.markFired(job, now)) return;
        fired += 1;
        const effects = fireReminder(ctx, form, unit, period, action);
        this.apply(effects, ctx.now);
        if (effects.some((e) => e.type === "reply")) queued = true;
        this.log.info({ unit: unit.code, period: job.period_key, step: job.step, messages: effects.length }, "reminder fired");
      })();
    }
    if (queued) for (const l of this.listeners) l();
    return fired;
  }

  private markFired(job: { unit_code: string; form_id: string; period_key: string; step: string }, now: number): boolean {
    return (
      this.db
        .prepare("UPDATE reminder_jobs SET fired_at = ? WHERE unit_code = ? AND form_id = ? AND period_key = ? AND step = ? AND fired_at IS NULL")
        .run(now, job.unit_code, job.form_id, job.period_key, job.step).changes === 1
    );
  }
}
