// The picture a commune's staff or a district officer asks for: which areas have submitted, how far the
// others are, and the totals over the submitted ones, with the previous period, the same period last year
// and the yearly targets beside them. Pure: the store hands in plain maps.
import type { FormDef } from "../forms/schema.js";
import { fieldApplies, holds } from "../forms/steps.js";
import { previousPeriod, samePeriodLastYear, type Period } from "../periods.js";
import type { AnswerMap, Submission, Unit } from "../types.js";
import { combinePeriods, memberKeys, totalOf, type Totals } from "./totals.js";

export type AreaState = "accepted" | "submitted" | "returned" | "in_progress" | "not_started";

export interface Review {
  status: "accepted" | "returned";
  reason?: string;
  at: string;
}

export interface AreaStatus {
  unit: Unit;
  /** The column unit this area counts under (itself for a commune's summary, its commune above). */
  group: Unit;
  state: AreaState;
  sectionsDone: number;
  sectionsTotal: number;
  /** Changed after it was returned or accepted. */
  changedSinceReview: boolean;
  /** Has submitted figures in the period (all of it, or some of its months): they count in the totals. */
  contributes: boolean;
  review?: Review;
  values: AnswerMap;
}

export interface SummaryData {
  form: FormDef;
  root: Unit;
  period: Period;
  /** Every area under the root, with the unit it is shown under. */
  areas: Array<{ unit: Unit; group: Unit }>;
  answers(unit: string, periodKey: string): AnswerMap | undefined;
  submission(unit: string, periodKey: string): Submission | undefined;
  review(unit: string, periodKey: string): Review | undefined;
  /** Yearly targets of the root unit, by field. */
  targets: Record<string, number>;
}

export interface Summary {
  form: FormDef;
  root: Unit;
  period: Period;
  areas: AreaStatus[];
  submitted: AreaStatus[];
  missing: AreaStatus[];
  /** Column units (areas, or communes) with their totals over submitted areas. */
  columns: Array<{ unit: Unit; totals: Totals; submitted: number; total: number }>;
  totals: Totals;
  previous?: { period: Period; totals: Totals };
  lastYear?: { period: Period; totals: Totals };
  /** Year-to-date against the yearly target, for fields that have one. */
  targets: Array<{ field: string; target: number; achieved: number }>;
}

function sectionProgress(form: FormDef, values: AnswerMap): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const section of form.sections) {
    if (!holds(section.when, values) && section.when) continue;
    total += 1;
    if (section.fields.filter((f) => fieldApplies(section, f, values)).every((f) => f.id in values)) done += 1;
  }
  return { done, total };
}

function collect(data: SummaryData, period: Period): { statuses: AreaStatus[] } | undefined {
  const keys = memberKeys(data.form, period);
  if (!keys) return undefined;
  const statuses = data.areas.map(({ unit, group }): AreaStatus => {
    const perPeriod = keys.map((k) => data.answers(unit.code, k));
    const subs = keys.map((k) => data.submission(unit.code, k));
    // Totals count what was submitted: for a quarter, the months an area has completed so far.
    const doneKeys = keys.filter((_, i) => subs[i]?.status === "completed");
    const values = combinePeriods(data.form, doneKeys.map((k) => data.answers(unit.code, k)).filter((a): a is AnswerMap => !!a));
    const contributes = doneKeys.length > 0;
    const complete = subs.every((s) => s?.status === "completed");
    const review = keys.length === 1 ? data.review(unit.code, keys[0]!) : undefined;
    const started = perPeriod.some((a) => a && Object.keys(a).length > 0);
    const progress = keys.length === 1 ? sectionProgress(data.form, perPeriod[0] ?? {}) : { done: subs.filter((s) => s?.status === "completed").length, total: keys.length };
    const completedAt = subs[0]?.completedAt;
    const changedSinceReview = !!review && !!completedAt && completedAt > review.at;
    let state: AreaState = complete ? "submitted" : started ? "in_progress" : "not_started";
    if (review?.status === "returned" && !changedSinceReview) state = "returned";
    else if (review?.status === "accepted" && complete && !changedSinceReview) state = "accepted";
    return { unit, group, state, sectionsDone: progress.done, sectionsTotal: progress.total, changedSinceReview, review, values, contributes };
  });
  return { statuses };
}

function isIn(s: AreaStatus): boolean {
  return s.state === "submitted" || s.state === "accepted";
}

export function summarize(data: SummaryData): Summary | undefined {
  const current = collect(data, data.period);
  if (!current) return undefined;
  const submitted = current.statuses.filter(isIn);
  const totals = totalOf(data.form, current.statuses.filter((s) => s.contributes).map((s) => ({ unit: s.unit, values: s.values })));

  const groups = new Map<string, { unit: Unit; members: AreaStatus[] }>();
  for (const s of current.statuses) {
    const g = groups.get(s.group.code) ?? { unit: s.group, members: [] };
    g.members.push(s);
    groups.set(s.group.code, g);
  }
  const columns = [...groups.values()].map((g) => {
    const inG = g.members.filter((s) => s.contributes);
    return { unit: g.unit, totals: totalOf(data.form, inG.map((s) => ({ unit: s.unit, values: s.values }))), submitted: g.members.filter(isIn).length, total: g.members.length };
  });

  const compareWith = (period: Period) => {
    const other = collect(data, period);
    const done = other?.statuses.filter((s) => s.contributes) ?? [];
    return done.length > 0 ? { period, totals: totalOf(data.form, done.map((s) => ({ unit: s.unit, values: s.values }))) } : undefined;
  };

  // Year to date: every period of the form from the start of the year to the end of this one.
  const targets: Summary["targets"] = [];
  if (Object.keys(data.targets).length > 0) {
    const yearKeys = memberKeys(data.form, { kind: "year", year: data.period.year, index: 1 }) ?? [];
    const lastKey = (memberKeys(data.form, data.period) ?? []).at(-1);
    const upto = yearKeys.slice(0, lastKey ? yearKeys.indexOf(lastKey) + 1 : 0);
    const perUnit = data.areas.map(({ unit }) => ({
      unit,
      values: combinePeriods(
        data.form,
        upto
          .filter((k) => data.submission(unit.code, k)?.status === "completed")
          .map((k) => data.answers(unit.code, k))
          .filter((a): a is AnswerMap => !!a),
      ),
    }));
    const yearTotals = totalOf(data.form, perUnit);
    for (const [field, target] of Object.entries(data.targets)) {
      const v = yearTotals.values[field];
      targets.push({ field, target, achieved: typeof v === "number" ? v : 0 });
    }
  }

  return {
    form: data.form,
    root: data.root,
    period: data.period,
    areas: current.statuses,
    submitted,
    missing: current.statuses.filter((s) => !isIn(s)),
    columns,
    totals,
    previous: compareWith(previousPeriod(data.period)),
    lastYear: compareWith(samePeriodLastYear(data.period)),
    targets,
  };
}
