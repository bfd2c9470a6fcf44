// Reading an answer that gives several figures at once (a section's `together` question). The list reader
// finds the figures (list-items.ts), the placement finds which is which (assign.ts), and this file decides:
// store, refuse, or ask one question about the part it is not sure of while holding the rest.
import { decToNumber } from "../numbers/decimal.js";
import type { Token } from "../numbers/tokens.js";
import { DOUBT_WORDS, OR_WORDS } from "../numbers/vocabulary.js";
import { isZeroAnswer, isZeroHead } from "../numbers/zero.js";
import { fill, type Messages } from "../messages.js";
import { formatWithUnit } from "../forms/format-value.js";
import type { Field, FormDef, Section } from "../forms/schema.js";
import { holds } from "../forms/steps.js";
import type { Value } from "../types.js";
import { placements, type Candidate } from "./assign.js";
import { confirmAsk, missingAsk, scaleAsk, whichAsk, type Asked } from "./asks.js";
import { formWords, type FormWords } from "./form-words.js";
import { hitsIn } from "./labels.js";
import { readList, type Item, type ListReading } from "./list-items.js";
import { bandOf, bareMoneyReadings } from "./plausible.js";
import type { ReadResult } from "./read-field.js";

const MAX_FIGURE = 1e12;

/** A reading of the answer: which item fills which field, and what that gives. */
interface Reading {
  items: Item[];
  candidate: Candidate;
  values: Record<string, number>;
  /** Fields filled by "10 hay 12": both values, for the person to choose. */
  choices: Record<string, [number, number]>;
  violates: boolean;
}

function valueFor(item: Item, field: Field): number {
  if (item.zero) return 0;
  const fig = item.figure;
  const dec = field.kind === "count" && fig?.asCount ? fig.asCount : item.value;
  const v = decToNumber(dec);
  return fig?.negative ? -v : v;
}

function toReading(items: Item[], c: Candidate, fields: readonly Field[], section: Section): Reading | undefined {
  const values: Record<string, number> = {};
  const choices: Record<string, [number, number]> = {};
  c.placement.field.forEach((fi, i) => {
    if (fi < 0) return;
    const item = items[i]!;
    const f = fields[fi]!;
    if (item.choices) choices[f.id] = [decToNumber(item.choices[0]), decToNumber(item.choices[1])];
    else values[f.id] = valueFor(item, f);
  });
  // "0 buổi, 350 người" contradicts itself: a figure that only applies when its base is not zero.
  for (const f of fields) {
    if (!(f.id in values) || !f.when || !(f.when.field in values)) continue;
    if (!holds(f.when, values) && values[f.id] !== 0) return undefined;
  }
  let violates = false;
  for (const rule of section.rules) {
    if (rule.type !== "not_greater") continue;
    const ids = [...rule.left, rule.right];
    if (!ids.every((id) => id in values)) continue;
    const sum = rule.left.reduce((a, id) => a + values[id]!, 0);
    if (sum > values[rule.right]!) violates = true;
  }
  return { items, candidate: c, values, choices, violates };
}

/** What a reading would store, as a key: the same for readings that place the same figures the same way. */
function signature(r: Reading, fields: readonly Field[]): string {
  let key = "";
  for (const f of fields) key += `${r.values[f.id] ?? ""}/${r.choices[f.id]?.join("|") ?? ""};`;
  return `${key}${r.candidate.placement.foreign.join(",")};${r.candidate.placement.derived.join(",")}`;
}

/**
 * The reading to act on, and whether it is certain: the consistent readings (hard rules kept when any
 * reading keeps them) are grouped by what they would store; one group better than all others is certain.
 */
function choose(readings: Reading[], fields: readonly Field[]): { reading: Reading; certain: boolean } | undefined {
  if (readings.length === 0) return undefined;
  // A reading that needed a settled conflict, or placed a figure by position alone, is weaker.
  const score = (r: Reading) => -r.candidate.penalty - (r.candidate.placement.certain ? 0 : 1);
  const best = Math.max(...readings.map(score));
  const top = readings.filter((r) => score(r) === best);
  const keeping = top.filter((r) => !r.violates);
  const pool = keeping.length > 0 ? keeping : top;
  const groups = new Map<string, Reading>();
  for (const r of pool) {
    const key = signature(r, fields);
    if (!groups.has(key)) groups.set(key, r);
  }
  const first = [...groups.values()][0]!;
  return { reading: first, certain: groups.size === 1 && first.candidate.placement.certain };
}

function readingsOf(items: Item[], reading: ListReading, fields: readonly Field[], section: Section, words: FormWords): Reading[] {
  return placements(reading.tokens, items, reading.segments, fields, words)
    .map((c) => toReading(items, c, fields, section))
    .filter((r): r is Reading => r !== undefined);
}

/** The words a person typed for an item, to quote them back ("5 vụ hòa giải"). */
function typed(tokens: readonly Token[], items: readonly Item[], i: number): string {
  const item = items[i]!;
  const next = items[i + 1]?.start ?? tokens.length;
  let end = item.end;
  while (end < next && tokens[end]!.kind === "word" && end - item.end < 4) end++;
  return tokens
    .slice(item.start, end)
    .map((t, k) => (k === 0 ? t.raw : t.gap ? ` ${t.raw}` : t.raw))
    .join("")
    .trim();
}

/** Fields named by words with no figure, in a clause that is not a doubt ("…, hòa giải thành"). */
function danglingFields(reading: ListReading, fields: readonly Field[], words: FormWords, placed: Set<string>): Field[] {
  const out: Field[] = [];
  reading.segments.forEach(([from, to], k) => {
    if (reading.items.some((it) => it.segment === k)) return;
    const hits = hitsIn(reading.tokens, from, to, words);
    const covered = new Set<number>();
    for (const h of hits) for (let i = h.start; i < h.end; i++) covered.add(i);
    const unsure = reading.tokens
      .slice(from, to)
      .some((t, j) => t.kind === "word" && !covered.has(from + j) && (isZeroHead(t) || DOUBT_WORDS.has(t.fold) || t.fold === "may" || t.fold === "vai" || OR_WORDS.has(t.fold)));
    if (unsure) return;
    for (const h of hits) {
      const named = fields.filter((f) => h.phrase.before.has(f.id) || h.phrase.after.has(f.id));
      if (named.length === 1 && !placed.has(named[0]!.id) && !out.includes(named[0]!)) out.push(named[0]!);
    }
  });
  return out;
}

type Issue =
  | { kind: "refuse"; error: string }
  | { kind: "which"; field: Field; options: number[]; bare?: number }
  | { kind: "scale"; field: Field; bare: number }
  | { kind: "confirm"; note?: string };

function figureIssues(reading: Reading, fields: readonly Field[], example: string, m: Messages, values: Record<string, Value>): Issue[] {
  const issues: Issue[] = [];
  const { placement } = reading.candidate;
  placement.field.forEach((fi, i) => {
    if (fi < 0) return;
    const f = fields[fi]!;
    const item = reading.items[i]!;
    if (item.choices) {
      const [a, b] = reading.choices[f.id]!;
      issues.push({ kind: "which", field: f, options: [a, b] });
      return;
    }
    const v = values[f.id] as number;
    if (v < 0) return void issues.push({ kind: "refuse", error: fill(m.bad_negative, { example }) });
    if (v > MAX_FIGURE) return void issues.push({ kind: "refuse", error: m.bad_too_large });
    if (f.kind === "count" && !Number.isInteger(v)) return void issues.push({ kind: "refuse", error: fill(m.bad_not_integer, { example }) });
    if (f.kind === "percentage" && v > 100) return void issues.push({ kind: "refuse", error: fill(m.bad_percentage, { example }) });
    if (item.hedged || item.arithmetic) issues.push({ kind: "confirm" });
    const fig = item.figure;
    if (f.kind === "money" && fig && !item.zero) {
      const alts = fig.alts.map(decToNumber).filter((a) => a !== v && bandOf(f, a) !== "low");
      if (alts.length > 0) return void issues.push({ kind: "which", field: f, options: [v, ...alts] });
      if (fig.bare) {
        const readings = bareMoneyReadings(f, v, fig.intDigits);
        if (readings.length > 1) return void issues.push({ kind: "scale", field: f, bare: v });
        const only = readings[0]!;
        values[f.id] = only.value;
        if (!only.exact) issues.push({ kind: "confirm" });
        return;
      }
    }
    const band = bandOf(f, v);
    if (band) issues.push({ kind: "confirm", note: fill(band === "high" ? m.read_high : m.read_low, { what: f.label, value: formatWithUnit(f, v, m) }) });
  });
  return issues;
}

function asResult(asked: Asked): ReadResult {
  return { ok: false, error: asked.text, ask: asked.ask };
}

/**
 * Reads an answer to several fields of a section at once. `fields` are the ones asked (all of the
 * `together` question, or the part still missing); `form`, when given, lets the reader recognise figures
 * that belong to other questions.
 */
export function readTogether(section: Section, fields: readonly Field[], text: string, m: Messages, form?: FormDef): ReadResult {
  const example = section.prompt_example ?? fields[0]?.example ?? "";
  const words = form?.sections.includes(section) ? formWords(form.sections, section, section) : formWords([section], section);
  const reading = readList(text, words);
  const { items, tokens } = reading;
  const allZero = (): ReadResult => ({ ok: true, values: Object.fromEntries(fields.map((f) => [f.id, 0])) });
  if (items.length === 0) {
    // "trống", "kg": zero words that only mean nothing when they are the whole answer.
    return isZeroAnswer(tokens.filter((t) => t.kind === "word")) ? allZero() : { ok: false, error: fill(m.bad_together, { example }) };
  }

  // Far more figures than the question asks for: nothing to place, and no need to try every way.
  if (items.length > 2 * fields.length + 2) return { ok: false, error: fill(m.bad_too_many, { count: items.length, expected: fields.length, example }) };
  // "-5 buổi": no figure of a report is negative.
  if (items.some((it) => it.figure?.negative && it.value.m !== 0n)) return { ok: false, error: fill(m.bad_negative, { example }) };
  let readings = readingsOf(items, reading, fields, section, words);
  if (reading.split) readings.push(...readingsOf(reading.split, reading, fields, section, words));
  if (readings.length === 0 && reading.grouped) readings = readingsOf(reading.grouped, reading, fields, section, words);
  const chosen = choose(readings, fields);

  // "không", "0", "không có vụ nào": a zero for the whole question, unless its words name one figure.
  const onlyZero = items.length === 1 && !items[0]!.choices && items[0]!.value.m === 0n;
  if (onlyZero && (!chosen || !chosen.certain)) return allZero();

  if (!chosen) {
    const placeable = items.length;
    if (placeable > fields.length) return { ok: false, error: fill(m.bad_too_many, { count: placeable, expected: fields.length, example }) };
    return { ok: false, error: fill(m.bad_together, { example }) };
  }
  const { reading: r, certain } = chosen;
  const { placement } = r.candidate;
  const notes = [
    ...placement.foreign.map((i) => fill(m.read_later, { typed: typed(tokens, r.items, i) })),
    ...placement.derived.map((i) => fill(m.read_derived, { typed: typed(tokens, r.items, i) })),
  ];
  const values: Record<string, Value> = { ...r.values };
  const placedFields = fields.filter((f) => f.id in values || f.id in r.choices);
  if (placedFields.length === 0) return { ok: false, error: [...notes, fill(m.bad_together, { example })].join("\n") };

  const issues = figureIssues(r, fields, example, m, values);
  const refusal = issues.find((x): x is Extract<Issue, { kind: "refuse" }> => x.kind === "refuse");
  if (refusal) return { ok: false, error: refusal.error };

  const without = (ids: string[]) => Object.fromEntries(Object.entries(values).filter(([id]) => !ids.includes(id)));
  const which = issues.find((x): x is Extract<Issue, { kind: "which" }> => x.kind === "which");
  if (which) {
    return asResult(whichAsk(which.field, which.options, { fields, kept: without([which.field.id]), alone: fields.length === 1, notes }, m));
  }
  const scales = issues.filter((x): x is Extract<Issue, { kind: "scale" }> => x.kind === "scale");
  if (scales.length === 1) {
    const s = scales[0]!;
    const options = bareMoneyReadings(s.field, s.bare, r.items[placement.field.indexOf(fields.indexOf(s.field))]?.figure?.intDigits ?? 1).map((x) => x.value);
    return asResult(whichAsk(s.field, options, { fields, kept: without([s.field.id]), alone: fields.length === 1, notes, bare: s.bare }, m));
  }
  if (scales.length > 1) {
    const bare = Object.fromEntries(scales.map((s) => [s.field.id, s.bare]));
    return asResult(scaleAsk(fields, bare, without(Object.keys(bare)), m));
  }
  // A figure whose base is missing ("350 người" without the sessions), or a field named with no figure.
  const placed = new Set(Object.keys(values));
  const missingBase = fields.find((f) => placed.has(f.id) && f.when && fields.some((b) => b.id === f.when!.field) && !placed.has(f.when.field));
  const base = missingBase ? fields.find((b) => b.id === missingBase.when!.field) : undefined;
  const dangling = base ? [] : danglingFields(reading, fields, words, placed);
  const missing = base ?? dangling[0];
  if (missing && certain && !issues.some((x) => x.kind === "confirm")) return asResult(missingAsk(fields, missing, values, notes, m));
  if (!certain || issues.length > 0 || notes.length > 0 || missing) {
    const extra = issues.flatMap((x) => (x.kind === "confirm" && x.note ? [x.note] : []));
    return asResult(confirmAsk(fields, values, [...notes, ...extra], m));
  }
  return { ok: true, values };
}
