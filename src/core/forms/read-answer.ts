// Reading what a person typed for the current step: the values it understood with certainty, the polite
// message saying what is expected (with an example), or the bot's question about its reading. Never a
// guess. The readers live in src/core/reading/; this file is the entry point the conversation uses.
import type { Messages } from "../messages.js";
import { placements } from "../reading/assign.js";
import { formWords } from "../reading/form-words.js";
import { readList } from "../reading/list-items.js";
import { readField as readOneField, type ReadResult } from "../reading/read-field.js";
import { readTogether } from "../reading/read-step.js";
import type { Value } from "../types.js";
import type { FormDef, Field } from "./schema.js";
import type { Step } from "./steps.js";

export type { ReadResult } from "../reading/read-field.js";
export type { ReadAsk } from "../reading/asks.js";

/** Reads the answer to one field (a count, an amount, a percentage, yes/no, a choice or text). */
export function readField(field: Field, text: string, m: Messages, form?: FormDef): ReadResult {
  return readOneField(field, text, m, form);
}

/**
 * The value a reading gives a field for commands that set one figure outright (/sua, /chitieu): a certain
 * reading, or one only outside the form's usual band (those commands check their own warnings). Undefined
 * when the reader is not sure what was meant; its question is then the reply.
 */
export function settledValue(read: ReadResult, id: string): Value | null | undefined {
  if (read.ok) return read.values[id];
  return read.ask?.unusual ? read.ask.confirm?.[id] : undefined;
}

/** Reads the answer to a step: one field, or several figures in one message. */
export function readStep(step: Step, text: string, m: Messages, form?: FormDef): ReadResult {
  if (step.kind === "field") return readOneField(step.field, text, m, form);
  return readTogether(step.section, step.fields, text, m, form);
}

/**
 * Maps several numbers, each with the words before and after it, to the fields of a together step — only
 * when the words and the count of figures make it certain; otherwise undefined (the bot then asks).
 */
export function assignNumbers(
  fields: readonly Field[],
  numbers: Array<{ value: number; before: string; after: string }>,
): Array<{ field: Field; value: number }> | undefined {
  if (numbers.length === 0 || numbers.length > fields.length) return undefined;
  const parts: string[] = [numbers[0]!.before];
  numbers.forEach((n, i) => {
    if (i > 0) {
      const prev = numbers[i - 1]!;
      parts.push(prev.after === n.before ? n.before : `${prev.after} ${n.before}`);
    }
    parts.push(String(n.value));
  });
  parts.push(numbers[numbers.length - 1]!.after);
  const words = formWords([{ fields, derived: [] }], fields);
  const reading = readList(parts.join(" "), words);
  if (reading.items.length !== numbers.length) return undefined;
  const all = placements(reading.tokens, reading.items, reading.segments, fields, words);
  const least = Math.min(...all.map((c) => c.penalty));
  const found = all.filter((c) => c.penalty === least);
  const distinct = new Set(found.map((c) => c.placement.field.join(",")));
  if (!found.every((c) => c.placement.certain)) return undefined;
  if (distinct.size !== 1) return undefined;
  const field = found[0]!.placement.field;
  if (field.some((f) => f < 0)) return undefined;
  return numbers.map((n, i) => ({ field: fields[field[i]!]!, value: n.value }));
}
