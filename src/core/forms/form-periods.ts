// The periods a form reports and when they are due: its own periods (and those a longer period is made of),
// the due date of a report, the period the clock is collecting, and the days in which it is offered for filling.
import { addDays } from "../local-time.js";
import { deadlineOf, monthsOf, openPeriod, periodKey, type DeadlineSpec, type Period } from "../periods.js";
import type { FormDef } from "./schema.js";

/** The form's deadline rule as periods.ts reads it. */
export function deadlineSpec(form: FormDef): DeadlineSpec {
  return { day: form.period.deadline.day, monthOffset: form.period.deadline.month_offset };
}

/** The form's own periods that make up a requested period (a quarter of a monthly form → its 3 months). */
export function memberPeriods(form: FormDef, period: Period): Period[] | undefined {
  if (period.kind === form.period.kind) return [period];
  if (form.period.kind === "month") return monthsOf(period);
  if (form.period.kind === "quarter") {
    const months = monthsOf(period).map((p) => p.index);
    if (months.length < 3 || months.length % 3 !== 0 || (months[0]! - 1) % 3 !== 0) return undefined;
    return months.filter((m) => m % 3 === 0).map((m) => ({ kind: "quarter", year: period.year, index: m / 3 }));
  }
  return undefined;
}

export function memberKeys(form: FormDef, period: Period): string[] | undefined {
  return memberPeriods(form, period)?.map(periodKey);
}

/** When a report of the form for `period` is due (local "YYYY-MM-DD"): the deadline of its last own period. */
export function dueDate(form: FormDef, period: Period): string {
  const members = memberPeriods(form, period) ?? [period];
  return deadlineOf(members[members.length - 1]!, deadlineSpec(form));
}

/** The period of the form the clock is collecting: the earliest whose deadline is today or later. */
export function clockPeriod(form: FormDef, now: Date): Period {
  return openPeriod(form.period.kind, deadlineSpec(form), now);
}

/**
 * The first local date on which a period of the form is offered for filling (`collect.days_before_deadline`
 * before its due date), or undefined when the form is offered from the start of the period.
 */
export function offeredFrom(form: FormDef, period: Period): string | undefined {
  return form.collect ? addDays(dueDate(form, period), -form.collect.days_before_deadline) : undefined;
}
