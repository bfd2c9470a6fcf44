// What a unit's totals are made of, in a form that adds and subtracts: the sums of every numeric field (counts,
// money, and typed percentages, whose mean is the sum over the count), how many units gave each figure (the
// base of a mean or a share), how many said yes, how many units are counted, and how many are in each state.
// The store keeps one per unit above the reporting units, form, period and variant, and moves it by each
// reporting unit's change (the delta between its contribution before and after), so no summary re-adds answers.
import type { FormDef } from "../forms/schema.js";
import { allFields, derivedValues } from "../forms/steps.js";
import type { AnswerMap } from "../types.js";
import type { Totals } from "./totals.js";

/** How a reporting unit stands on a report, as counted (`not_started` is what is left of the expected units). */
export const TALLY_STATES = ["accepted", "submitted", "returned", "in_progress", "exempt"] as const;
export type TallyState = (typeof TALLY_STATES)[number];

/**
 * The tallies kept per unit, form and period: every unit counted (`all`), and the like-with-like pairs — this
 * period and the previous one over the units complete in both (`prev_cur`, `prev_old`), the same with the same
 * period last year (`year_cur`, `year_old`).
 */
export const VARIANTS = ["all", "prev_cur", "prev_old", "year_cur", "year_old"] as const;
export type Variant = (typeof VARIANTS)[number];

export interface Tally {
  /** Units whose figures are in (submitted the period, or some of its months). */
  units: number;
  /** Units complete in the period (every one of the form's periods inside it submitted). */
  complete: number;
  /** Units by state (only in the `all` variant). */
  states: Partial<Record<TallyState, number>>;
  sums: Record<string, number>;
  /** How many units gave each figure (a skipped answer is no figure). */
  counts: Record<string, number>;
  /** How many units said yes, per yes/no field. */
  yes: Record<string, number>;
}

export function emptyTally(): Tally {
  return { units: 0, complete: 0, states: {}, sums: {}, counts: {}, yes: {} };
}

/** Sums are rounded to a millionth after each step, so adding and taking away the same figures ends where it began. */
const round = (x: number) => Math.round(x * 1e6) / 1e6;

function addInto(into: Record<string, number>, from: Record<string, number> | Partial<Record<string, number>>, sign: number): void {
  for (const [k, v] of Object.entries(from)) {
    if (!v) continue;
    const next = round((into[k] ?? 0) + sign * v);
    if (next === 0) delete into[k];
    else into[k] = next;
  }
}

/** `a + sign × b`, as a new tally; keys that fall to zero are dropped (a tally equal to a rebuild's, key for key). */
export function addTally(a: Tally, b: Tally, sign = 1): Tally {
  const out: Tally = {
    units: a.units + sign * b.units,
    complete: a.complete + sign * b.complete,
    states: { ...a.states },
    sums: { ...a.sums },
    counts: { ...a.counts },
    yes: { ...a.yes },
  };
  addInto(out.states as Record<string, number>, b.states, sign);
  addInto(out.sums, b.sums, sign);
  addInto(out.counts, b.counts, sign);
  addInto(out.yes, b.yes, sign);
  return out;
}

function plus(into: Record<string, number>, from: Partial<Record<string, number>>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k]!;
}

function none(r: Partial<Record<string, number>>): boolean {
  for (const k in r) if (r[k] !== 0) return false;
  return true;
}

/** Adds `b` into `a` in place (a rebuild adds up millions of contributions: no copy each time). */
export function accumulate(a: Tally, b: Tally): void {
  a.units += b.units;
  a.complete += b.complete;
  plus(a.states as Record<string, number>, b.states);
  plus(a.sums, b.sums);
  plus(a.counts, b.counts);
  plus(a.yes, b.yes);
}

export function isEmptyTally(t: Tally): boolean {
  return t.units === 0 && t.complete === 0 && none(t.states) && none(t.sums) && none(t.counts) && none(t.yes);
}

/** The same tally, whatever order its keys were added in (for comparing and storing). */
export function canonicalTally(t: Tally): Tally {
  return { units: t.units, complete: t.complete, states: sortedNonZero(t.states as Record<string, number>), sums: sortedNonZero(t.sums), counts: sortedNonZero(t.counts), yes: sortedNonZero(t.yes) };
}

/** The rounded non-zero entries in key order (every kept tally is written through this: one pass, one sort). */
function sortedNonZero(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort()) {
    const v = round(r[k]!);
    if (v !== 0) out[k] = v;
  }
  return out;
}

export function sameTally(a: Tally, b: Tally): boolean {
  return JSON.stringify(canonicalTally(a)) === JSON.stringify(canonicalTally(b));
}

/** One unit's figures (already combined over the period's months) as a tally of one unit. */
export function tallyOfValues(form: FormDef, values: AnswerMap): Tally {
  const t = emptyTally();
  t.units = 1;
  for (const { field } of allFields(form)) {
    const v = values[field.id];
    if (v === undefined || v === null) continue;
    switch (field.kind) {
      case "count":
      case "money":
      case "percentage":
        t.counts[field.id] = 1;
        if (typeof v === "number" && v !== 0) t.sums[field.id] = round(v);
        break;
      case "yesno":
        t.counts[field.id] = 1;
        if (v === true) t.yes[field.id] = 1;
        break;
      default:
        // A choice describes one unit and adds up to nothing; free text is read from the unit itself.
        break;
    }
  }
  return t;
}

/**
 * The totals a tally stands for, as `totalOf` gives them over the same units: sums, the mean of typed
 * percentages, "any yes" with the yes-counts, ratios recomputed from the summed parts. Free text is not in a
 * tally (`texts` comes from the units listed one by one).
 */
export function totalsOfTally(form: FormDef, t: Tally): Totals {
  const values: AnswerMap = {};
  const yes: Totals["yes"] = {};
  const counts: Totals["counts"] = {};
  for (const { field } of allFields(form)) {
    const n = t.counts[field.id] ?? 0;
    if (n > 0) counts[field.id] = n;
    switch (field.kind) {
      case "count":
      case "money":
        if (n > 0) values[field.id] = t.sums[field.id] ?? 0;
        break;
      case "percentage":
        if (n > 0) values[field.id] = (t.sums[field.id] ?? 0) / n;
        break;
      case "yesno": {
        const y = t.yes[field.id] ?? 0;
        yes[field.id] = { yes: y, of: n };
        if (n > 0) values[field.id] = y > 0;
        break;
      }
      default:
        break;
    }
  }
  return { values: { ...values, ...derivedValues(form, values) }, units: t.units, counts, yes, texts: {} };
}
