// Sums across periods and units. Counts and money add up; ratios are never averaged but recomputed from the
// summed parts (derivedValues on the totals); yes/no becomes "how many units said yes"; a typed percentage
// (no parts to add) is the mean of the units that gave one; free text is kept with the unit it came from.
// Every total knows how many units went into it, so a sentence can name its base.
import type { Field, FormDef } from "../forms/schema.js";
import { allFields, applicableValues, derivedValues } from "../forms/steps.js";
import type { AnswerMap, Unit } from "../types.js";
import { addTally, emptyTally, tallyOfValues, totalsOfTally } from "./tally.js";

/** One unit's answers over several of the form's periods, in time order. */
export function combinePeriods(form: FormDef, periods: AnswerMap[]): AnswerMap {
  const out: AnswerMap = {};
  if (periods.length === 0) return out;
  if (periods.length === 1) {
    // The same as combining one value (the rebuild asks this for every unit and month: no arrays per field).
    const p = periods[0]!;
    for (const { field } of allFields(form)) {
      const v = p[field.id];
      if (v !== undefined) out[field.id] = combineOne(field, v);
    }
    return out;
  }
  for (const { field } of allFields(form)) {
    const present: Array<AnswerMap[string]> = [];
    for (const p of periods) {
      const v = p[field.id];
      if (v !== undefined) present.push(v);
    }
    if (present.length === 0) continue;
    out[field.id] = combineValues(field, present);
  }
  return out;
}

/** `combineValues(field, [v])`, without the arrays. */
function combineOne(field: Field, v: AnswerMap[string]): AnswerMap[string] {
  switch (field.kind) {
    case "count":
    case "money":
      return typeof v === "number" ? v : 0;
    case "yesno":
      return v === null ? null : v === true;
    case "text":
      return typeof v === "string" && v.trim() !== "" ? v.trim() : null;
    default:
      return v;
  }
}

function combineValues(field: Field, values: Array<AnswerMap[string]>): AnswerMap[string] {
  const real = values.filter((v) => v !== null);
  switch (field.kind) {
    case "count":
    case "money":
      return real.reduce<number>((a, v) => a + (typeof v === "number" ? v : 0), 0);
    case "yesno":
      return real.some((v) => v === true) ? true : real.length > 0 ? false : null;
    case "text": {
      // One line per month, each said once: a leader who repeats last month's difficulty is not quoted twice.
      const texts = [...new Set(real.filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => v.trim()))];
      return texts.length > 0 ? texts.join("\n") : null;
    }
    default:
      // A percentage or a choice describes a state, not a flow: the latest one stands.
      return real.length > 0 ? real[real.length - 1]! : null;
  }
}

export interface UnitFigures {
  unit: Unit;
  /** Combined answers over the requested period (already limited to what applies). */
  values: AnswerMap;
}

export interface Totals {
  /** Sums (counts, money), "any yes" for yes/no, mean for typed percentages, plus recomputed ratios. */
  values: AnswerMap;
  /** How many units the totals were taken over. */
  units: number;
  /** How many of them gave a figure for each field (the base of a mean or a yes-count). */
  counts: Record<string, number>;
  /** How many units answered yes, of how many answered, for each yes/no field. */
  yes: Record<string, { yes: number; of: number }>;
  /** Free text per field, with the unit that wrote it. */
  texts: Record<string, Array<{ unit: Unit; text: string }>>;
}

export function totalOf(form: FormDef, units: UnitFigures[]): Totals {
  // The same arithmetic as the tallies the store keeps, so a listed commune and a stored tally agree.
  let tally = emptyTally();
  for (const u of units) tally = addTally(tally, tallyOfValues(form, u.values));
  const totals = totalsOfTally(form, tally);
  for (const { field } of allFields(form)) {
    if (field.kind !== "text") continue;
    totals.texts[field.id] = units
      .map((u) => ({ unit: u.unit, v: u.values[field.id] }))
      .filter((x) => typeof x.v === "string" && x.v.trim())
      .map((x) => ({ unit: x.unit, text: String(x.v).trim() }));
  }
  return totals;
}

/** Figures of one unit with its derived ratios, ready for templates and tables. */
export function withDerived(form: FormDef, values: AnswerMap): AnswerMap {
  const applicable = applicableValues(form, values);
  return { ...applicable, ...derivedValues(form, applicable) };
}
