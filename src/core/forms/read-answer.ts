// Reads what a person typed for the current step. Returns the values it understood, or the polite message
// saying what is expected (with an example) — never a partial guess.
import { extractNumbers, foldText, parseCount, parseMoney, parsePercent, parseYesNo, type ParseResult } from "../numbers/parse.js";
import { fill, type Messages } from "../messages.js";
import type { Value } from "../types.js";
import type { Field } from "./schema.js";
import type { Step } from "./steps.js";

export type ReadResult = { ok: true; values: Record<string, Value | null> } | { ok: false; error: string };

const NONE_WORDS = new Set(["khong", "ko", "k", "khong co", "chua", "chua co", "khong co gi", "0", "-", "khong a", "da khong", "kg"]);

function failure(field: Field, reason: Exclude<ParseResult, { ok: true }>["reason"], m: Messages): string {
  const example = field.example ?? "";
  switch (reason) {
    case "negative":
      return fill(m.bad_negative, { example });
    case "not_integer":
      return fill(m.bad_not_integer, { example });
    case "too_large":
      return fill(m.bad_too_large, {});
    case "several_numbers":
      return fill(m.bad_several, { example });
    default:
      if (field.kind === "money") return fill(m.bad_money, { example });
      if (field.kind === "percentage") return fill(m.bad_percentage, { example });
      return fill(m.bad_count, { example });
  }
}

/** Matches a choice by its number in the list, its label or one of its keywords. */
function readChoice(field: Extract<Field, { kind: "choice" }>, text: string): string | undefined {
  const folded = foldText(text);
  const n = Number.parseInt(folded, 10);
  if (/^\d+\.?$/.test(folded) && n >= 1 && n <= field.options.length) return field.options[n - 1]!.value;
  const byLabel = field.options.find((o) => foldText(o.label) === folded || o.value === folded);
  if (byLabel) return byLabel.value;
  // The longest matching keyword wins: "kết hợp" is "Kết hợp nhiều hình thức", not "Họp dân" (keyword "hop").
  let byKeyword: { value: string; length: number } | undefined;
  for (const o of field.options) {
    for (const k of o.keywords) {
      const fk = foldText(k);
      if (fk && folded.includes(fk) && fk.length > (byKeyword?.length ?? 0)) byKeyword = { value: o.value, length: fk.length };
    }
  }
  return byKeyword?.value;
}

export function readField(field: Field, text: string, m: Messages): ReadResult {
  const put = (v: Value | null): ReadResult => ({ ok: true, values: { [field.id]: v } });
  switch (field.kind) {
    case "count":
    case "money":
    case "percentage": {
      const r = field.kind === "count" ? parseCount(text) : field.kind === "money" ? parseMoney(text) : parsePercent(text);
      return r.ok ? put(r.value) : { ok: false, error: failure(field, r.reason, m) };
    }
    case "yesno": {
      const r = parseYesNo(text);
      return r === undefined ? { ok: false, error: m.bad_yesno } : put(r);
    }
    case "choice": {
      const v = readChoice(field, text);
      return v === undefined ? { ok: false, error: fill(m.bad_choice, { max: field.options.length }) } : put(v);
    }
    case "text": {
      const t = text.trim();
      if (NONE_WORDS.has(foldText(t).replace(/[.!]+$/, ""))) return put(null);
      if (t.length > field.max_length) return { ok: false, error: fill(m.bad_text_long, { length: t.length, max: field.max_length }) };
      return t.length === 0 ? { ok: false, error: m.bad_together } : put(t);
    }
  }
}

/** Whole-word containment on folded text: "khong thanh" contains "thanh" but "thanh" does not contain "khong thanh". */
function keywordScore(field: Field, phrase: string): number {
  if (!phrase) return 0;
  const words = ` ${phrase} `;
  let best = 0;
  for (const k of field.keywords) {
    const fk = foldText(k);
    if (fk && words.includes(` ${fk} `)) best = Math.max(best, fk.split(" ").length);
  }
  return best;
}

type Side = "none" | "before" | "after";

/**
 * Maps several numbers in one message to the fields of a together step. Words next to a number name its
 * field ("12 buổi", "thành 10"); the words between two numbers belong to one of them only, so every
 * combination of sides is scored and the best one wins. Numbers without a name fill the remaining fields
 * in order.
 */
export function assignNumbers(
  fields: Field[],
  numbers: Array<{ value: number; before: string; after: string }>,
): Array<{ field: Field; value: number }> | undefined {
  const n = numbers.length;
  if (n === 0 || n > fields.length || n > 8) return undefined;
  let best: { score: number; pick: Array<Field | undefined> } = { score: -1, pick: [] };
  const total = 3 ** n;
  for (let combo = 0; combo < total; combo++) {
    const sides: Side[] = [];
    let c = combo;
    for (let i = 0; i < n; i++) {
      sides.push((["none", "before", "after"] as const)[c % 3]!);
      c = Math.floor(c / 3);
    }
    // The words between number i and i+1 cannot name both.
    let clash = false;
    for (let i = 0; i + 1 < n; i++) {
      if (sides[i] === "after" && sides[i + 1] === "before" && numbers[i]!.after === numbers[i + 1]!.before) clash = true;
    }
    if (clash) continue;
    const used = new Set<string>();
    const pick: Array<Field | undefined> = [];
    let score = 0;
    for (let i = 0; i < n; i++) {
      const side = sides[i]!;
      if (side === "none") {
        pick.push(undefined);
        continue;
      }
      const phrase = side === "before" ? numbers[i]!.before : numbers[i]!.after;
      let chosen: Field | undefined;
      let chosenScore = 0;
      for (const f of fields) {
        const s = keywordScore(f, phrase);
        if (s > chosenScore && !used.has(f.id)) {
          chosen = f;
          chosenScore = s;
        }
      }
      if (!chosen) {
        score = -2;
        break;
      }
      used.add(chosen.id);
      pick.push(chosen);
      // A named figure scores more than its keyword length, and "after" (a unit word) wins ties.
      score += 10 + chosenScore + (side === "after" ? 0.5 : 0);
    }
    if (score > best.score) best = { score, pick };
  }
  if (best.score < 0) return undefined;
  const used = new Set(best.pick.filter((f): f is Field => !!f).map((f) => f.id));
  const free = fields.filter((f) => !used.has(f.id));
  return numbers.map((num, i) => ({ field: best.pick[i] ?? free.shift()!, value: num.value }));
}

/** Reads the answer to a step: one field, or several figures in one message. */
export function readStep(step: Step, text: string, m: Messages): ReadResult {
  if (step.kind === "field") return readField(step.field, text, m);
  const example = step.section.prompt_example ?? "";
  const folded = foldText(text).replace(/[.!]+$/, "");
  if (NONE_WORDS.has(folded)) {
    return { ok: true, values: Object.fromEntries(step.fields.map((f) => [f.id, 0])) };
  }
  const numbers = extractNumbers(text);
  if (numbers.length === 0) return { ok: false, error: fill(m.bad_together, { example }) };
  if (numbers.length > step.fields.length) {
    return { ok: false, error: fill(m.bad_too_many, { count: numbers.length, expected: step.fields.length, example }) };
  }
  const assigned = assignNumbers(step.fields, numbers);
  if (!assigned) return { ok: false, error: fill(m.bad_together, { example }) };
  const values: Record<string, Value> = {};
  for (const { field, value } of assigned) {
    if (value < 0) return { ok: false, error: fill(m.bad_negative, { example }) };
    if (field.kind === "count" && !Number.isInteger(value)) return { ok: false, error: fill(m.bad_not_integer, { example }) };
    if (field.kind === "percentage" && value > 100) return { ok: false, error: fill(m.bad_percentage, { example }) };
    if (value > 1e12) return { ok: false, error: m.bad_too_large };
    values[field.id] = value;
  }
  return { ok: true, values };
}
