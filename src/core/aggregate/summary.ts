// The picture a commune's staff or a district officer asks for: which areas have submitted, how far the
// others are, and the totals over the submitted ones, with the previous period, the same period last year
// and the yearly targets beside them. Pure: the store hands in plain maps.
//
// Two rules keep the picture honest. A period made of several of the form's periods (a quarter of a monthly
// form) is complete for an area only when every month is in; its totals add up the months that are in, and
// `members` says, month by month, how many areas that is. A comparison with another period is taken only
// over the areas that are complete in both (like with like), and says when that is not every area counted.
//
// An exempt unit (excused by staff with a reason) is not expected: it is left out of every count's "of", is
// never missing, and is named with its reason. An exempt unit that submits anyway counts like any other: its
// figures are there, so the exemption has nothing left to excuse.
import type { Exemption } from "../exemption.js";
import type { FormDef } from "../forms/schema.js";
import { fieldApplies, holds } from "../forms/steps.js";
import { previousPeriod, samePeriodLastYear, type Period } from "../periods.js";
import type { AnswerMap, Submission, Unit } from "../types.js";
import { combinePeriods, totalOf, type Totals } from "./totals.js";
import { memberKeys, memberPeriods } from "../forms/form-periods.js";

export type AreaState = "accepted" | "submitted" | "returned" | "in_progress" | "not_started" | "exempt";

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
  /** Sections done of a single period; for a multi-month period, the months submitted. */
  sectionsDone: number;
  sectionsTotal: number;
  /** Changed after it was returned or accepted. */
  changedSinceReview: boolean;
  /** Has submitted figures in the period (all of it, or some of its months): they count in the totals. */
  contributes: boolean;
  /** Every one of the form's periods inside the requested one is submitted. */
  complete: boolean;
  /** Which of those periods are submitted (all of them, for a complete area). */
  membersDone: Period[];
  review?: Review;
  values: AnswerMap;
  /** Exemptions that excuse this unit from one of the form's periods inside the requested one (not submitted). */
  exemptions: Exemption[];
}

/** How many areas have submitted one of the form's periods inside the requested one. */
export interface MemberCompleteness {
  period: Period;
  submitted: number;
  /** Units expected to submit this period: every unit but the exempt ones. */
  total: number;
  missing: Unit[];
  /** Units excused from this period (and that did not submit it anyway). */
  exempt: Unit[];
}

/** The requested period set against another, over the areas complete in both. */
export interface Comparison {
  period: Period;
  /** The other period's totals over `base`. */
  totals: Totals;
  /** This period's totals over `base` (the same as the summary's totals when `whole`). */
  current: Totals;
  /** The areas compared: complete in both periods. */
  base: Unit[];
  /** `base` is every area counted in this period and in the other: the comparison needs no note. */
  whole: boolean;
}

export interface SummaryData {
  form: FormDef;
  root: Unit;
  period: Period;
  /** Every reporting unit under (or at) the root — areas, or communes for a form communes fill — with the unit it is shown under. */
  areas: Array<{ unit: Unit; group: Unit }>;
  answers(unit: string, periodKey: string): AnswerMap | undefined;
  submission(unit: string, periodKey: string): Submission | undefined;
  review(unit: string, periodKey: string): Review | undefined;
  /** The exemption in force for a unit and one of the form's periods (none when absent). */
  exemption?(unit: string, periodKey: string): Exemption | undefined;
  /** Yearly targets of the root unit, by field. */
  targets: Record<string, number>;
}

export interface Summary {
  form: FormDef;
  root: Unit;
  period: Period;
  areas: AreaStatus[];
  /** Areas that have submitted the whole period. */
  submitted: AreaStatus[];
  /** Units expected but not (fully) submitted: never an exempt one. */
  missing: AreaStatus[];
  /** Units excused from the whole period (state "exempt"). */
  exempt: AreaStatus[];
  /** How many units are expected to submit: every unit but the exempt ones. */
  expected: number;
  /** Areas whose figures are in the totals (for a multi-month period, some of its months may be missing). */
  contributing: AreaStatus[];
  /** One entry per form period inside the requested one: a single entry for a period of the form's own kind. */
  members: MemberCompleteness[];
  /** Column units (areas, or communes) with their totals over submitted areas. */
  columns: Array<{ unit: Unit; totals: Totals; submitted: number; total: number; exempt: number }>;
  totals: Totals;
  previous?: Comparison;
  lastYear?: Comparison;
  /** Periods that had figures but no area complete in both: nothing could be compared with them. */
  incomparable: Period[];
  /** Year-to-date against the yearly target, for fields that have one. */
  targets: Array<{ field: string; target: number; achieved: number }>;
}

function sectionProgress(form: FormDef, values: AnswerMap): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const section of form.sections) {
    if (!holds(section.when, values) && section.when) continue;
    total += 1;
    // Taken figures are not asked, so they do not make a section unfinished.
    if (section.fields.filter((f) => !f.from && fieldApplies(section, f, values)).every((f) => f.id in values)) done += 1;
  }
  return { done, total };
}

function collect(data: SummaryData, period: Period): { statuses: AreaStatus[]; members: MemberCompleteness[] } | undefined {
  const periods = memberPeriods(data.form, period);
  const keys = memberKeys(data.form, period);
  if (!periods || !keys) return undefined;
  const members = periods.map((p): MemberCompleteness => ({ period: p, submitted: 0, total: data.areas.length, missing: [], exempt: [] }));
  const statuses = data.areas.map(({ unit, group }): AreaStatus => {
    const perPeriod = keys.map((k) => data.answers(unit.code, k));
    const subs = keys.map((k) => data.submission(unit.code, k));
    // Totals count what was submitted: for a quarter, the months an area has completed so far.
    const done = keys.flatMap((k, i) => (subs[i]?.status === "completed" ? [i] : []));
    // Submitted anyway, a period counts normally: only the periods not submitted are excused.
    const excused = keys.map((k, i) => (subs[i]?.status === "completed" ? undefined : data.exemption?.(unit.code, k)));
    done.forEach((i) => (members[i]!.submitted += 1));
    keys.forEach((_, i) => {
      if (excused[i]) {
        members[i]!.total -= 1;
        members[i]!.exempt.push(unit);
      } else if (subs[i]?.status !== "completed") members[i]!.missing.push(unit);
    });
    const exemptions = excused.filter((e): e is Exemption => !!e);
    const values = combinePeriods(data.form, done.map((i) => data.answers(unit.code, keys[i]!)).filter((a): a is AnswerMap => !!a));
    const contributes = done.length > 0;
    const complete = done.length === keys.length;
    const review = keys.length === 1 ? data.review(unit.code, keys[0]!) : undefined;
    const started = perPeriod.some((a) => a && Object.keys(a).length > 0);
    const progress = keys.length === 1 ? sectionProgress(data.form, perPeriod[0] ?? {}) : { done: done.length, total: keys.length };
    const completedAt = subs[0]?.completedAt;
    const changedSinceReview = !!review && !!completedAt && completedAt > review.at;
    // Every period it owes is in (the others excused): as good as complete for completeness, not for comparisons.
    const owed = done.length > 0 && done.length + exemptions.length === keys.length;
    let state: AreaState = complete || owed ? "submitted" : started ? "in_progress" : "not_started";
    if (exemptions.length === keys.length) state = "exempt";
    else if (review?.status === "returned" && !changedSinceReview) state = "returned";
    else if (review?.status === "accepted" && complete && !changedSinceReview) state = "accepted";
    return {
      unit,
      group,
      state,
      sectionsDone: progress.done,
      sectionsTotal: progress.total,
      changedSinceReview,
      review,
      values,
      contributes,
      complete,
      membersDone: done.map((i) => periods[i]!),
      exemptions,
    };
  });
  return { statuses, members };
}

/** Why a unit is excused: the reasons of its exemptions, each once ("sáp nhập vào Ấp Bến Đò"). */
export function exemptReason(a: AreaStatus): string {
  return [...new Set(a.exemptions.map((e) => e.reason))].join("; ");
}

function isIn(s: AreaStatus): boolean {
  return s.state === "submitted" || s.state === "accepted";
}

const figuresOf = (list: AreaStatus[]) => list.map((s) => ({ unit: s.unit, values: s.values }));

/** Like with like: both periods' totals over the areas complete in both. */
function compare(data: SummaryData, current: AreaStatus[], period: Period): Comparison | Period | undefined {
  const other = collect(data, period)?.statuses ?? [];
  const otherCounted = other.filter((s) => s.contributes);
  if (otherCounted.length === 0) return undefined;
  const otherComplete = new Map(other.filter((s) => s.complete).map((s) => [s.unit.code, s]));
  const base = current.filter((s) => s.complete && otherComplete.has(s.unit.code));
  if (base.length === 0) return period;
  const counted = current.filter((s) => s.contributes);
  return {
    period,
    totals: totalOf(data.form, figuresOf(base.map((s) => otherComplete.get(s.unit.code)!))),
    current: totalOf(data.form, figuresOf(base)),
    base: base.map((s) => s.unit),
    whole: base.length === counted.length && base.length === otherCounted.length,
  };
}

export function summarize(data: SummaryData): Summary | undefined {
  const current = collect(data, data.period);
  if (!current) return undefined;
  const { statuses } = current;
  const submitted = statuses.filter(isIn);
  const contributing = statuses.filter((s) => s.contributes);
  const totals = totalOf(data.form, figuresOf(contributing));


  const groups = new Map<string, { unit: Unit; members: AreaStatus[] }>();
  for (const s of statuses) {
    const g = groups.get(s.group.code) ?? { unit: s.group, members: [] };
    g.members.push(s);
    groups.set(s.group.code, g);
  }
  const columns = [...groups.values()].map((g) => {
    const inG = g.members.filter((s) => s.contributes);
    const exempt = g.members.filter((s) => s.state === "exempt").length;
    return { unit: g.unit, totals: totalOf(data.form, figuresOf(inG)), submitted: g.members.filter(isIn).length, total: g.members.length - exempt, exempt };
  });

  const incomparable: Period[] = [];
  const comparison = (period: Period): Comparison | undefined => {
    const c = compare(data, statuses, period);
    if (c && !("base" in c)) incomparable.push(c);
    return c && "base" in c ? c : undefined;
  };
  const previous = comparison(previousPeriod(data.period));
  const lastYear = comparison(samePeriodLastYear(data.period));

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
    areas: statuses,
    submitted,
    missing: statuses.filter((s) => !isIn(s) && s.state !== "exempt"),
    exempt: statuses.filter((s) => s.state === "exempt"),
    expected: statuses.filter((s) => s.state !== "exempt").length,
    contributing,
    members: current.members,
    columns,
    totals,
    previous,
    lastYear,
    incomparable,
    targets,
  };
}
