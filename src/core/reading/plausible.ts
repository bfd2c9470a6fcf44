// Whether a figure is a plausible value for its field, and what a money amount typed without a unit may
// mean. The bands come from the form (`plausible` in the YAML); a figure outside is asked about, never
// refused, so a real but unusual figure can still be kept.
import type { Field } from "../forms/schema.js";

export type Band = "low" | "high" | undefined;

export function bandOf(field: Field, value: number): Band {
  // Nothing happened is a normal report for a count or an amount; a share of 0 % is not.
  if (!("plausible" in field) || !field.plausible || (value === 0 && field.kind !== "percentage")) return undefined;
  const { min, max } = field.plausible;
  if (min !== undefined && value < min) return "low";
  if (max !== undefined && value > max) return "high";
  return undefined;
}

/**
 * What a money amount typed with no multiplier or currency means. Digits of four or more ("20000",
 * "15.000.000") are đồng; fewer ("20", "500") are nghìn or triệu, whichever the field's band allows —
 * never silently đồng.
 */
export function bareMoneyReadings(field: Field, value: number, intDigits: number): { value: number; exact: boolean }[] {
  if (value === 0) return [{ value: 0, exact: true }];
  if (intDigits >= 4) {
    if (!bandOf(field, value)) return [{ value, exact: true }];
    const scaled = [value * 1000].filter((v) => !bandOf(field, v));
    return [{ value, exact: false }, ...scaled.map((v) => ({ value: v, exact: false }))];
  }
  const scaled = [value * 1_000, value * 1_000_000].filter((v) => !bandOf(field, v));
  return (scaled.length > 0 ? scaled : [value * 1_000, value * 1_000_000]).map((v) => ({ value: v, exact: false }));
}
