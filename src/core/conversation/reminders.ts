// Scheduled reminders, decided here and stored by the scheduler: when each step of a form's schedule is due
// (moved out of quiet hours), and what it says when it fires — the lagging units' people in their commune's
// group, the commune staff after the deadline, the officers above a few days later. Every form has its own
// schedule, for its own periods.
import type { Column } from "../aggregate/summary.js";
import type { Effect } from "../effects.js";
import type { FormDef } from "../forms/schema.js";
import { fill } from "../messages.js";
import { dueDate, collects } from "../forms/form-periods.js";
import { reportingLevel } from "../open-reports.js";
import type { Period } from "../periods.js";
import { formatShortDate, addDays, localInstant, localMinutes, minutesOf } from "../local-time.js";
import { PLATFORMS, type Unit } from "../types.js";
import { type Ctx, reportLabel, unitWords } from "./context.js";
import { laggingUnits, pingLagging } from "./lagging.js";
import { laggingBelow, summaryOf } from "./summary-text.js";

export function isQuiet(form: FormDef, epochMs: number): boolean {
  const { from, to } = form.reminders.quiet_hours;
  const t = localMinutes(epochMs);
  const a = minutesOf(from);
  const b = minutesOf(to);
  return a <= b ? t >= a && t < b : t >= a || t < b;
}

/** The first moment at or after `epochMs` outside quiet hours. */
export function outOfQuietHours(form: FormDef, epochMs: number): number {
  if (!isQuiet(form, epochMs)) return epochMs;
  const end = minutesOf(form.reminders.quiet_hours.to);
  let t = epochMs - (localMinutes(epochMs) - end) * 60_000;
  if (t <= epochMs) t += 86_400_000;
  return Math.floor(t / 60_000) * 60_000;
}

export type ReminderAction = FormDef["reminders"]["schedule"][number]["action"];

export interface PlannedReminder {
  step: string;
  action: ReminderAction;
  dueAt: number;
}

/** When each schedule step is due for a period (the deadline of its last member period). */
export function planReminders(form: FormDef, period: Period): PlannedReminder[] {
  // A period the form does not collect (the second half of a first-half-only report) is never chased.
  if (!collects(form, period)) return [];
  const deadline = dueDate(form, period);
  return form.reminders.schedule.map((s) => ({
    step: s.id,
    action: s.action,
    dueAt: outOfQuietHours(form, localInstant(addDays(deadline, s.days), s.at)),
  }));
}

/**
 * Which of a form's schedule steps a unit with a group takes: a commune reminds its lagging units (its areas,
 * or itself for a form communes fill) and, for its areas' form, tells its staff after the deadline; the units
 * above it are told which communes lag.
 */
export function stepsFor(form: FormDef, unit: Unit): PlannedReminder["action"][] {
  if (unit.level === "area") return [];
  if (unit.level === "commune") return reportingLevel(form) === "area" ? ["ping_areas", "notify_staff"] : ["ping_areas"];
  return ["notify_officer"];
}

/** What a due reminder says, and to whom. Empty when nobody is late any more. */
export function fireReminder(ctx: Ctx, form: FormDef, unit: Unit, period: Period, action: ReminderAction): Effect[] {
  const m = ctx.messages;
  const s = summaryOf(ctx, form, unit, period);
  if (s.counts.submitted === s.counts.expected) return [];
  if (action === "ping_areas") return pingLagging(ctx, s, form.reminders.cooldown_hours, [...PLATFORMS]).effects;

  const deadline = formatShortDate(dueDate(form, period));
  const role = action === "notify_staff" ? "commune_staff" : "officer";
  // Above a commune, the units with the most still missing and how many others (a province has up to about 170).
  const officerItem = (c: Column) => fill(m.remind_officer_item, { unit: c.unit.name, submitted: c.submitted, total: c.total, ...unitWords(ctx, form) });
  const items = action === "notify_staff" ? laggingUnits(ctx, s).map((a) => a.unit.name).join(", ") : laggingBelow(ctx, s, officerItem);
  const effects: Effect[] = [];
  for (const platform of PLATFORMS) {
    const people = ctx.world.holders(unit.code, role).filter((p) => p.platform === platform);
    for (const chatId of ctx.world.chatsOf(platform, unit.code)) {
      const text = fill(action === "notify_staff" ? m.remind_staff_late : m.remind_officer_late, {
        ...unitWords(ctx, form),
        names: people.map((p) => p.name).join(", ") || unit.name,
        period: reportLabel(ctx, form, period),
        deadline,
        n: s.counts.expected - s.counts.submitted,
        items,
      });
      effects.push({ type: "reply", out: { platform, chatId, text, mentions: people.map((p) => ({ userId: p.userId, name: p.name })), purpose: "reminder" } });
    }
  }
  return effects;
}
