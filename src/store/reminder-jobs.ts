// The stored reminder schedule: one row per report and step, planned ahead, fired once (the row says when).
import type { DB } from "./db.js";
import type { ReportKey } from "../core/report-key.js";

/** A planned step of a report's reminders. */
export interface ReminderJob {
  report: ReportKey;
  step: string;
  dueAt: number;
}

export class ReminderJobs {
  private readonly q;

  constructor(private readonly db: DB) {
    this.q = {
      plan: db.prepare("INSERT OR IGNORE INTO reminder_jobs (unit_code, form_id, period_key, step, due_at) VALUES (?, ?, ?, ?, ?)"),
      due: db.prepare<[number], { unit_code: string; form_id: string; period_key: string; step: string; due_at: number }>(
        "SELECT unit_code, form_id, period_key, step, due_at FROM reminder_jobs WHERE fired_at IS NULL AND due_at <= ? ORDER BY due_at",
      ),
      postpone: db.prepare("UPDATE reminder_jobs SET due_at = ? WHERE unit_code = ? AND form_id = ? AND period_key = ? AND step = ?"),
      fire: db.prepare("UPDATE reminder_jobs SET fired_at = ? WHERE unit_code = ? AND form_id = ? AND period_key = ? AND step = ? AND fired_at IS NULL"),
      linkedUnits: db.prepare<[], { unit_code: string }>("SELECT DISTINCT unit_code FROM chats ORDER BY unit_code"),
    };
  }

  /** Plans a step once; planning it again changes nothing (a fired step stays fired). */
  plan(job: ReminderJob): void {
    this.q.plan.run(job.report.unit, job.report.form, job.report.period, job.step, job.dueAt);
  }

  /** Steps due at `now` and not fired yet, earliest first. */
  due(now: number): ReminderJob[] {
    return this.q.due.all(now).map((r) => ({ report: { unit: r.unit_code, form: r.form_id, period: r.period_key }, step: r.step, dueAt: r.due_at }));
  }

  /** Moves a step to a later moment (out of quiet hours). */
  postpone(job: ReminderJob, to: number): void {
    this.q.postpone.run(to, job.report.unit, job.report.form, job.report.period, job.step);
  }

  /** Marks a step fired; false when it already was (so it never fires twice). */
  markFired(job: ReminderJob, now: number): boolean {
    return this.q.fire.run(now, job.report.unit, job.report.form, job.report.period, job.step).changes === 1;
  }

  /** Units with a linked group somewhere: the ones reminders are planned for. */
  linkedUnits(): string[] {
    return this.q.linkedUnits.all().map((r) => r.unit_code);
  }

  /** Runs `fn` in one transaction (planning a tick's steps; firing one step with its messages). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
