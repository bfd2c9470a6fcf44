// One reporting unit's standing on a report and what it adds to the tallies of the units above it. The same
// functions serve the summary of a commune's areas (listed one by one), the delta kept in the store when a
// report changes (its contribution before and after) and the rebuild from answers, so the three cannot differ.
import type { FormDef } from "../forms/schema.js";
import { fieldApplies, holds } from "../forms/steps.js";
import { memberKeys, memberPeriods } from "../forms/form-periods.js";
import {
  CALENDAR_KINDS,
  isValidPeriod,
  lastMonthOf,
  nextPeriod,
  parsePeriodKey,
  periodContainingMonth,
  periodKey,
  previousPeriod,
  samePeriodLastYear,
  type Period,
} from "../periods.js";
import type { AnswerMap, Submission } from "../types.js";
import type { Exemption } from "../exemption.js";
import { emptyTally, tallyOfValues, type Tally, type Variant } from "./tally.js";
import { combinePeriods } from "./totals.js";

export type AreaState = "accepted" | "submitted" | "returned" | "in_progress" | "not_started" | "exempt";

export interface Review {
  status: "accepted" | "returned";
  reason?: string;
  at: string;
}

/** What a unit's state rests on besides its answers, by the key of one of the form's own periods. */
export interface StateFacts {
  submission(periodKey: string): Submission | undefined;
  review(periodKey: string): Review | undefined;
  /** The exemption in force for one of the form's periods (none when absent). */
  exemption?(periodKey: string): Exemption | undefined;
}

/** A reporting unit's stored facts on one form, by the key of one of the form's own periods. */
export interface ReportFacts extends StateFacts {
  answers(periodKey: string): AnswerMap | undefined;
}

/** How one reporting unit stands on a requested period (one of the form's periods, or several of them). */
export interface Standing {
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
  /** Which of those periods are submitted (all of them, for a complete unit). */
  membersDone: Period[];
  review?: Review;
  /** The submitted months' answers combined. */
  values: AnswerMap;
  /** Exemptions that excuse this unit from one of the form's periods inside the requested one (not submitted). */
  exemptions: Exemption[];
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

/** The form's periods inside a period, and their keys, worked out once per form and period. */
const membersMemo = new WeakMap<FormDef, Map<string, { periods: Period[]; keys: string[] } | undefined>>();

export function membersOf(form: FormDef, period: Period): { periods: Period[]; keys: string[] } | undefined {
  // A round or a campaign carries its name and dates in the period itself: not kept by key.
  if (period.kind === "round" || period.kind === "campaign") {
    const periods = memberPeriods(form, period);
    const keys = memberKeys(form, period);
    return periods && keys ? { periods, keys } : undefined;
  }
  let byPeriod = membersMemo.get(form);
  if (!byPeriod) membersMemo.set(form, (byPeriod = new Map()));
  const id = periodKey(period);
  if (!byPeriod.has(id)) {
    const periods = memberPeriods(form, period);
    const keys = memberKeys(form, period);
    byPeriod.set(id, periods && keys ? { periods, keys } : undefined);
  }
  return byPeriod.get(id);
}

function hasAny(a: AnswerMap | undefined): boolean {
  for (const _ in a) return true;
  return false;
}

/** The facts of a unit's state on a period made of the form's periods (`keys`), and the state they give. */
interface StateParts {
  subs: Array<Submission | undefined>;
  /** Indexes of the submitted periods. */
  done: number[];
  exemptions: Exemption[];
  complete: boolean;
  review?: Review;
  changedSinceReview: boolean;
  state: AreaState;
}

/**
 * The state rules, the one place they live: `standing` and the store's shortcut for answer-only changes
 * (`stateOn`) both use them. `started(k)`: whether the report of key `k` has any answer.
 */
function stateParts(keys: readonly string[], facts: StateFacts, started: (key: string) => boolean): StateParts {
  const subs = keys.map((k) => facts.submission(k));
  // Totals count what was submitted: for a quarter, the months a unit has completed so far.
  const done = keys.flatMap((k, i) => (subs[i]?.status === "completed" ? [i] : []));
  // Submitted anyway, a period counts normally: only the periods not submitted are excused.
  const exemptions = keys.flatMap((k, i) => {
    const e = subs[i]?.status === "completed" ? undefined : facts.exemption?.(k);
    return e ? [e] : [];
  });
  const complete = done.length === keys.length;
  const review = keys.length === 1 ? facts.review(keys[0]!) : undefined;
  const completedAt = subs[0]?.completedAt;
  const changedSinceReview = !!review && !!completedAt && completedAt > review.at;
  // Every period it owes is in (the others excused): as good as complete for completeness, not for comparisons.
  const owed = done.length > 0 && done.length + exemptions.length === keys.length;
  let state: AreaState = complete || owed ? "submitted" : keys.some(started) ? "in_progress" : "not_started";
  if (exemptions.length === keys.length) state = "exempt";
  else if (review?.status === "returned" && !changedSinceReview) state = "returned";
  else if (review?.status === "accepted" && complete && !changedSinceReview) state = "accepted";
  return { subs, done, exemptions, complete, review, changedSinceReview, state };
}

/**
 * A unit's state on `period` from its submissions, reviews, exemptions and which of its reports have any answer
 * (`started`), without reading the answers; undefined when the period is not made of the form's periods.
 */
export function stateOn(form: FormDef, period: Period, facts: StateFacts, started: (key: string) => boolean): AreaState | undefined {
  const members = membersOf(form, period);
  return members && stateParts(members.keys, facts, started).state;
}

/** What a unit's state adds to the `states` of a tally of all units (a unit not started is not counted there). */
export function statesOf(state: AreaState): Record<string, number> {
  return state === "not_started" ? {} : { [state]: 1 };
}

/** A unit's standing on `period`; undefined when the period is not made of the form's periods. */
export function standing(form: FormDef, period: Period, facts: ReportFacts): Standing | undefined {
  const members = membersOf(form, period);
  if (!members) return undefined;
  const { periods, keys } = members;
  const own = keys.length === 1 ? facts.answers(keys[0]!) : undefined;
  const { done, exemptions, complete, review, changedSinceReview, state } = stateParts(keys, facts, (k) => hasAny(keys.length === 1 ? own : facts.answers(k)));
  const values = combinePeriods(form, done.map((i) => facts.answers(keys[i]!)).filter((a): a is AnswerMap => !!a));
  const contributes = done.length > 0;
  const progress = keys.length === 1 ? sectionProgress(form, own ?? {}) : { done: done.length, total: keys.length };
  return {
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
}

/** Why a unit is excused: the reasons of its exemptions, each once ("sáp nhập vào Ấp Bến Đò"). */
export function exemptReason(a: { exemptions: Exemption[] }): string {
  return [...new Set(a.exemptions.map((e) => e.reason))].join("; ");
}

/** The other period of a like-with-like pair: the previous one, or the same one last year. */
export function pairedPeriod(period: Period, variant: "prev" | "year"): Period {
  return variant === "prev" ? previousPeriod(period) : samePeriodLastYear(period);
}

/** Standings of one unit, computed once per period (a contribution asks for the same ones several times). */
export class StandingCache {
  private readonly cache = new Map<string, Standing | undefined>();
  constructor(
    private readonly form: FormDef,
    private readonly facts: ReportFacts,
  ) {}

  private readonly tallies = new Map<string, Tally>();

  of(period: Period): Standing | undefined {
    const key = periodKey(period);
    if (!this.cache.has(key)) this.cache.set(key, standing(this.form, period, this.facts));
    return this.cache.get(key);
  }

  /** The unit's figures over a period as a tally of one unit (shared: never change it). */
  figures(period: Period, s: Standing): Tally {
    const key = periodKey(period);
    let t = this.tallies.get(key);
    if (!t) this.tallies.set(key, (t = tallyOfValues(this.form, s.values)));
    return t;
  }
}

/** What one reporting unit adds to a tally of `period` and `variant` (an empty tally when nothing). */
export function contribution(form: FormDef, period: Period, variant: Variant, standings: StandingCache): Tally {
  const now = standings.of(period);
  if (!now) return emptyTally();
  if (variant === "all") {
    const t = now.contributes ? { ...standings.figures(period, now), states: statesOf(now.state) } : { ...emptyTally(), states: statesOf(now.state) };
    if (now.complete) t.complete = 1;
    return t;
  }
  // Like with like: only a unit complete in both periods, with this period's or the other's figures.
  if (!now.complete) return emptyTally();
  const otherPeriod = pairedPeriod(period, variant.startsWith("prev") ? "prev" : "year");
  const other = standings.of(otherPeriod);
  if (!other?.complete) return emptyTally();
  return variant.endsWith("_cur") ? standings.figures(period, now) : standings.figures(otherPeriod, other);
}

/** A tally kept by the store: its period and variant. */
export interface TallySlot {
  period: Period;
  variant: Variant;
}

export function slotId(s: TallySlot): string {
  return `${periodKey(s.period)}|${s.variant}`;
}

/** How the store turns a report's key into its period, and finds the rounds that follow a round. */
export interface PeriodResolver {
  /** The period a key of the form stands for (a round or a campaign through its form and the stored rounds). */
  period(key: string): Period | undefined;
  /** The rounds whose round before is this one (they compare with it); none for other kinds. */
  following(p: Period): Period[];
}

/** Resolves keys of calendar kinds and weeks from the key alone (enough for forms of those kinds). */
export const KEY_ONLY: PeriodResolver = { period: (key) => parsePeriodKey(key), following: () => [] };

const noSuchRound = (p: Period) => p.kind === "round" && p.index === 0;
const sameKey = (a: Period, b: Period) => periodKey(a) === periodKey(b);

/** The periods a form's report of `own` lies in: itself, and the calendar periods made of the form's periods. */
function containers(form: FormDef, own: Period): Period[] {
  const key = periodKey(own);
  const { year, month } = lastMonthOf(own);
  const longer = CALENDAR_KINDS.map((kind) => periodContainingMonth(kind, year, month)).filter((p) => !sameKey(p, own) && membersOf(form, p)?.keys.includes(key));
  return [own, ...longer];
}

/** The periods that have `p` as their previous one (the next period; for a round, the rounds after it). */
function nextOnes(p: Period, resolve: PeriodResolver): Period[] {
  if (p.kind === "round") return resolve.following(p);
  const next = nextPeriod(p);
  return sameKey(previousPeriod(next), p) ? [next] : [];
}

/** The periods whose same period last year is `p` (a week 52 may be both week 52 and week 53 a year on). */
function nextYearOnes(p: Period): Period[] {
  if (p.kind === "round") return [];
  const candidates: Period[] = [{ ...p, year: p.year + 1 }, ...(p.kind === "week" ? [{ ...p, year: p.year + 1, index: 53 }] : [])];
  return candidates.filter((q) => isValidPeriod(q) && sameKey(samePeriodLastYear(q), p));
}

/**
 * Every tally a change to one unit's report of `key` can move: each period containing it (all units, and its
 * pairs with the period before and the same one last year), and the pairs of the periods that follow it and of
 * the same period next year, in which it is the other side.
 */
const slotsMemo = new WeakMap<FormDef, Map<string, TallySlot[]>>();

export function affectedSlots(form: FormDef, key: string, resolve: PeriodResolver): TallySlot[] {
  // Rounds depend on the rounds stored since: worked out each time. Every other kind follows from its key.
  if (form.period.kind === "round" || form.period.kind === "campaign") return slotsOf(form, key, resolve);
  let byKey = slotsMemo.get(form);
  if (!byKey) slotsMemo.set(form, (byKey = new Map()));
  let got = byKey.get(key);
  if (!got) byKey.set(key, (got = slotsOf(form, key, resolve)));
  return got;
}

function slotsOf(form: FormDef, key: string, resolve: PeriodResolver): TallySlot[] {
  const own = resolve.period(key);
  if (!own || !membersOf(form, own)) return [];
  const out: TallySlot[] = [];
  for (const p of containers(form, own)) {
    out.push(...(["all", "prev_cur", "prev_old", "year_cur", "year_old"] as const).map((variant) => ({ period: p, variant })));
    for (const n of nextOnes(p, resolve)) out.push({ period: n, variant: "prev_cur" }, { period: n, variant: "prev_old" });
    for (const n of nextYearOnes(p)) out.push({ period: n, variant: "year_cur" }, { period: n, variant: "year_old" });
  }
  const seen = new Set<string>();
  return out.filter((s) => !noSuchRound(s.period) && !seen.has(slotId(s)) && !!seen.add(slotId(s)));
}

/** The slots of several keys, each once. */
export function affectedSlotsOf(form: FormDef, keys: Iterable<string>, resolve: PeriodResolver): TallySlot[] {
  const list = [...keys].sort();
  if (form.period.kind === "round" || form.period.kind === "campaign") {
    const seen = new Map<string, TallySlot>();
    for (const k of list) for (const s of affectedSlots(form, k, resolve)) seen.set(slotId(s), s);
    return [...seen.values()];
  }
  // Most units report the same periods: the union is worked out once per set of keys.
  let bySet = unionMemo.get(form);
  if (!bySet) unionMemo.set(form, (bySet = new Map()));
  const id = list.join(",");
  let got = bySet.get(id);
  if (!got) {
    const seen = new Map<string, TallySlot>();
    for (const k of list) for (const s of affectedSlots(form, k, resolve)) seen.set(slotId(s), s);
    got = [...seen.values()];
    if (bySet.size < 10_000) bySet.set(id, got);
  }
  return got;
}

const unionMemo = new WeakMap<FormDef, Map<string, TallySlot[]>>();
