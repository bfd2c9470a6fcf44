// Plausibility rules. Hard rules refuse the answer (nothing is stored); soft warnings ask the person to
// confirm. Only rules touching a figure that just changed are checked, so old answers never block new ones.
import { formatDecimal } from "../numbers/format.js";
import { fill, type Messages } from "../messages.js";
import type { AnswerMap } from "../types.js";
import { formatValue, formatWithUnit } from "./format-value.js";
import type { Field, FormDef } from "./schema.js";
import { allFields, derivedValues } from "./steps.js";

function num(values: AnswerMap, id: string): number | undefined {
  const v = values[id];
  return typeof v === "number" ? v : undefined;
}

/** Template variables: every figure of the form, formatted the Vietnamese way. */
export function figureVars(form: FormDef, values: AnswerMap, m: Messages): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const { field } of allFields(form)) if (field.id in values) vars[field.id] = formatValue(field, values[field.id], m);
  const derived = derivedValues(form, values);
  for (const s of form.sections) for (const d of s.derived) if (d.id in derived) vars[d.id] = formatValue(d, derived[d.id], m);
  return vars;
}

/** The sum of the figures, or undefined when one of them is missing. */
function sumOf(values: AnswerMap, ids: readonly string[]): number | undefined {
  let sum = 0;
  for (const id of ids) {
    const v = num(values, id);
    if (v === undefined) return undefined;
    sum += v;
  }
  return sum;
}

/** Checked on every answer against every rule of the form: nothing is built unless a rule is broken. */
export function hardViolation(form: FormDef, values: AnswerMap, changed: string[], m: Messages): string | undefined {
  for (const section of form.sections) {
    for (const rule of section.rules) {
      if (rule.type !== "not_greater") continue;
      if (!changed.includes(rule.right) && !rule.left.some((id) => changed.includes(id))) continue;
      const right = num(values, rule.right);
      const sum = sumOf(values, rule.left);
      if (right === undefined || sum === undefined) continue;
      if (sum > right) return fill(rule.message, figureVars(form, values, m));
    }
  }
  return undefined;
}

export function softWarnings(
  form: FormDef,
  values: AnswerMap,
  changed: string[],
  previous: AnswerMap | undefined,
  m: Messages,
): string[] {
  const out: string[] = [];
  for (const section of form.sections) {
    for (const rule of section.rules) {
      if (rule.type !== "ratio_max") continue;
      if (!changed.includes(rule.numerator) && !changed.includes(rule.denominator)) continue;
      const n = num(values, rule.numerator);
      const d = num(values, rule.denominator);
      if (n === undefined || d === undefined || d === 0) continue;
      if (n / d > rule.max) out.push(fill(rule.message, { ...figureVars(form, values, m), ratio: formatDecimal(n / d, 0) }));
    }
  }
  if (previous) {
    const { jump_factor, jump_min_previous } = form.warnings;
    for (const { field } of allFields(form)) {
      if (!changed.includes(field.id) || (field.kind !== "count" && field.kind !== "money")) continue;
      const now = num(values, field.id);
      const before = num(previous, field.id);
      if (now === undefined || before === undefined || before < jump_min_previous) continue;
      if (now >= before * jump_factor) {
        out.push(
          fill(m.warn_jump, {
            label: field.label,
            value: formatWithUnit(field as Field, now, m),
            factor: formatDecimal(now / before, 0),
            previous: formatWithUnit(field as Field, before, m),
          }),
        );
      }
    }
  }
  return out;
}
