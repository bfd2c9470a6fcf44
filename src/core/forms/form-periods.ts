// The periods a form reports and when they are due: its own periods (and those a longer period is made of),
// the due date of a report, the period the clock is collecting, and the days in which it is offered for filling.
import { addDays, localDate } from "../local-time.js";
import { campaignOf, deadlineOf, monthsOf, openPeriod, periodKey, periodRange, weekOfDate, type CampaignSpec, type DeadlineSpec, type Period } from "../periods.js";
import type { FormDef } from "./schema.js";

/** The form's deadline rule as periods.ts reads it. */
export function deadlineSpec(form: FormDef): DeadlineSpec {
  const d = form.period.deadline;
  return "days_after_end" in d ? { daysAfterEnd: d.days_after_end } : { day: d.day, monthOffset: d.month_offset };
}

/** "17/10" → "10-17". */
const monthDay = (dm: string): string => {
  const [d, m] = dm.split("/").map(Number) as [number, number];
  return `${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
};

/** A campaign form's yearly window as periods.ts reads it; undefined for other kinds. */
export function campaignSpec(form: FormDef): CampaignSpec | undefined {
  const c = form.period.campaign;
  return c ? { start: monthDay(c.start), end: monthDay(c.end), title: c.title } : undefined;
}

/**
 * The form's own periods that make up a requested period (a quarter of a monthly form → its 3 months). A
 * weekly form's month, quarter or year is made of the weeks that END in it (a week's figures are counted once,
 * in the period holding its Sunday). A campaign form's year is that year's campaign. Rounds only stand for
 * themselves.
 */
export function memberPeriods(form: FormDef, period: Period): Period[] | undefined {
  if (period.kind === form.period.kind) return [period];
  const calendar = period.kind === "month" || period.kind === "quarter" || period.kind === "half" || period.kind === "nine_months" || period.kind === "year";
  if (!calendar) return undefined;
  if (form.period.kind === "week") return weeksEndingIn(period);
  if (form.period.kind === "campaign") return period.kind === "year" ? [campaignOf(campaignSpec(form)!, period.year)] : undefined;
  if (form.period.kind === "month") return monthsOf(period);
  if (form.period.kind === "quarter") {
    const months = monthsOf(period).map((p) => p.index);
    if (months.length < 3 || months.length % 3 !== 0 || (months[0]! - 1) % 3 !== 0) return undefined;
    return months.filter((m) => m % 3 === 0).map((m) => ({ kind: "quarter", year: period.year, index: m / 3 }));
  }
  if (form.period.kind === "half") {
    const months = monthsOf(period).map((p) => p.index);
    if (months.length < 6 || months.length % 6 !== 0 || (months[0]! - 1) % 6 !== 0) return undefined;
    return months.filter((m) => m % 6 === 0).map((m) => ({ kind: "half", year: period.year, index: m / 6 }));
  }
  return undefined;
}

/** The ISO weeks whose Sunday lies in a calendar period's natural months, in order. */
function weeksEndingIn(period: Period): Period[] {
  const range = periodRange(period, "calendar");
  const weeks: Period[] = [];
  // The first Sunday on or after the period's first day ends the first week counted.
  for (let week = weekOfDate(range.start); periodRange(week, "calendar").end <= range.end; week = weekOfDate(addDays(periodRange(week, "calendar").end, 1))) {
    weeks.push(week);
  }
  return weeks;
}

export function memberKeys(form: FormDef, period: Period): string[] | undefined {
  return memberPeriods(form, period)?.map(periodKey);
}

/** When a report of the form for `period` is due (local "YYYY-MM-DD"): the deadline of its last own period. */
export function dueDate(form: FormDef, period: Period): string {
  const members = memberPeriods(form, period) ?? [period];
  return deadlineOf(members[members.length - 1]!, deadlineSpec(form));
}

/**
 * The clock's period of each form by local day. It depends only on the form and the day, and every update asks
 * for it, so it is worked out once a day; kept with the loaded form (a reloaded one starts afresh), a few days at
 * most (a clock that moves, as in the tests, only adds days).
 */
const clockPeriods = new WeakMap<FormDef, Map<string, Period>>();
const CLOCK_DAYS_KEPT = 4;

/** The period of the form the clock is collecting: the earliest whose deadline is today or later. */
export function clockPeriod(form: FormDef, now: Date): Period {
  const today = localDate(now);
  let byDay = clockPeriods.get(form);
  if (!byDay) clockPeriods.set(form, (byDay = new Map()));
  let period = byDay.get(today);
  if (!period) {
    period = openPeriod(form.period.kind, deadlineSpec(form), now, campaignSpec(form));
    if (byDay.size >= CLOCK_DAYS_KEPT) byDay.clear();
    byDay.set(today, period);
  }
  return period;
}

/**
 * The first local date on which a period of the form is offered for filling (`collect.days_before_deadline`
 * before its due date; a campaign's first day), or undefined when the form is offered from the start of the period.
 */
export function offeredFrom(form: FormDef, period: Period): string | undefined {
  if (form.collect) return addDays(dueDate(form, period), -form.collect.days_before_deadline);
  // A campaign is collected from its first day until its deadline, not all year.
  return form.period.kind === "campaign" ? periodRange(period, "calendar").start : undefined;
}

/** Whether the form collects this period at all (`collect.periods`: a six-month report of the first half only). */
export function collects(form: FormDef, period: Period): boolean {
  const only = form.collect?.periods;
  return !only || only.includes(period.index);
}
