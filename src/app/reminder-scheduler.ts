// Keeps the reminder schedule in SQLite and fires what is due. Each tick (a) plans, for every form with a
// schedule and every unit that has a linked group, the steps of the period being collected and the one before,
// (b) fires due steps: marking a step fired and queueing its messages happen in one transaction, so a step never
// fires twice, even across restarts.
import type { Clock } from "../core/clock.js";
import type { Ctx } from "../core/conversation/context.js";
import { fireReminder, isQuiet, outOfQuietHours, planReminders, stepsFor } from "../core/conversation/reminders.js";
import { collectedPeriod } from "../core/open-reports.js";
import { periodOfKey } from "../core/period-of-key.js";
import { periodKey, previousPeriod } from "../core/periods.js";
import type { Prompts } from "../config/load-prompts.js";
import type { EffectApplier } from "../store/apply-effects.js";
import type { ReminderJobs, ReminderJob } from "../store/reminder-jobs.js";
import { withTakenFigures } from "../core/forms/taken-world.js";
import type { World } from "../core/world.js";
import type { Logger } from "./logger.js";

/** A reminder older than this when the bot comes back is dropped rather than sent late. */
const STALE_MS = 2 * 86_400_000;

export class ReminderScheduler {
  private readonly world: World;
  private timer?: NodeJS.Timeout;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly jobs: ReminderJobs,
    world: World,
    private readonly apply: EffectApplier,
    private readonly prompts: Prompts,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    // Answers carry the figures forms take from other forms' reports.
    this.world = withTakenFigures(world, prompts.forms);
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
    const scheduled = ctx.forms.filter((f) => f.reminders.schedule.length > 0);
    if (scheduled.length === 0) return 0;
    this.jobs.transaction(() => {
      for (const code of this.jobs.linkedUnits()) {
        const unit = this.world.unit(code);
        if (!unit) continue;
        for (const form of scheduled) {
          const actions = stepsFor(form, unit);
          if (actions.length === 0) continue;
          const open = collectedPeriod(ctx, form, unit.code);
          for (const period of [previousPeriod(open), open]) {
            // "No round yet" and a round staff closed early are not reminded of.
            if (period.kind === "round" && (period.index === 0 || this.world.round(period.index)?.closedAt)) continue;
            const report = { unit: unit.code, form: form.id, period: periodKey(period) };
            for (const plan of planReminders(form, period)) {
              if (actions.includes(plan.action)) this.jobs.plan({ report, step: plan.step, dueAt: plan.dueAt });
            }
          }
        }
      }
    });

    const now = ctx.now.getTime();
    let fired = 0;
    let queued = false;
    for (const job of this.jobs.due(now)) {
      const form = ctx.forms.find((f) => f.id === job.report.form);
      const action = form?.reminders.schedule.find((s) => s.id === job.step)?.action;
      const unit = this.world.unit(job.report.unit);
      const period = form ? periodOfKey(this.world, form, job.report.period) : undefined;
      const closedRound = period?.kind === "round" && this.world.round(period.index)?.closedAt !== undefined;
      this.jobs.transaction(() => {
        // Unknown forms and steps, steps long past (the bot was down) and rounds closed early are closed without a message.
        if (!form || !action || !unit || !period || closedRound || now - job.dueAt > STALE_MS) {
          this.jobs.markFired(job, now);
          return;
        }
        // Never ping at night: a step that comes due (or is caught up) in quiet hours waits for the morning.
        if (isQuiet(form, now)) {
          this.jobs.postpone(job, outOfQuietHours(form, now));
          return;
        }
        if (!this.jobs.markFired(job, now)) return;
        fired += 1;
        const effects = fireReminder(ctx, form, unit, period, action);
        this.apply(effects, ctx.now);
        if (effects.some((e) => e.type === "reply")) queued = true;
        this.log.info({ unit: unit.code, form: form.id, period: job.report.period, step: job.step, messages: effects.length }, "reminder fired");
      });
    }
    if (queued) for (const l of this.listeners) l();
    return fired;
  }
}

export type { ReminderJob };
