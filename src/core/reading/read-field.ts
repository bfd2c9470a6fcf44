// Reading the answer to one question: a count, an amount, a percentage, yes/no, a choice or free text.
// A figure is stored only when its reading is certain; a bare amount, a figure outside the field's band,
// a hedged one or two figures for one come back as a question (see asks.ts), never as a guess.
import { formatWithUnit } from "../forms/format-value.js";
import { fill, type Messages } from "../messages.js";
import { foldText, isHedgedYesNo, listFigures, parseYesNo, readAnswer, type AnswerKind, type ParseFailure } from "../numbers/parse.js";
import { tokenize } from "../numbers/tokens.js";
import { isZeroAnswer } from "../numbers/zero.js";
import type { Field, FormDef } from "../forms/schema.js";
import type { Value } from "../types.js";
import { confirmAsk, whichAsk, type ReadAsk } from "./asks.js";
import { formWords, type FormWords } from "./form-words.js";
import { phraseAt } from "./labels.js";
import { bandOf, bareMoneyReadings } from "./plausible.js";

export type ReadResult =
  | {
      ok: true;
      values: Record<string, Value | null>;
      /** Figures typed along with a yes ("có, 2 điểm, 5 đại biểu"): they answer the next question. */
      carry?: string;
    }
  | {
      ok: false;
      /** What the bot says: why it cannot read the answer, or its question about the reading. */
      error: string;
      /** Present when the bot asks about its reading rather than refusing the answer. */
      ask?: ReadAsk;
    };

const lone = new WeakMap<Field, FormWords>();

/** The words for reading a field: its form's when known (so other questions' words are recognised). */
export function wordsFor(field: Field, form?: FormDef): FormWords {
  const section = form?.sections.find((s) => s.fields.includes(field));
  if (form && section) return formWords(form.sections, section, section);
  let words = lone.get(field);
  if (!words) {
    words = formWords([{ fields: [field], derived: [] }], field);
    lone.set(field, words);
  }
  return words;
}

function failure(field: Field, reason: ParseFailure, m: Messages): string {
  const example = field.example ?? "";
  switch (reason) {
    case "negative":
      return fill(m.bad_negative, { example });
    case "not_integer":
      return fill(m.bad_not_integer, { example });
    case "too_large":
      return field.kind === "percentage" ? fill(m.bad_percentage, { example }) : fill(m.bad_too_large, {});
    case "several_numbers":
      return fill(m.bad_several, { example });
    default:
      if (field.kind === "money") return fill(m.bad_money, { example });
      if (field.kind === "percentage") return fill(m.bad_percentage, { example });
      return fill(m.bad_count, { example });
  }
}

const KIND: Readonly<Record<string, AnswerKind>> = { count: "count", money: "money", percentage: "percent" };

/** The words of this field's phrases at token i, for "không có đơn" and "nam vụ". */
function labelOf(field: Field, words: FormWords) {
  return (tokens: Parameters<typeof phraseAt>[0], i: number): number => {
    const p = phraseAt(tokens, i, words);
    return p && (p.before.has(field.id) || p.after.has(field.id)) ? p.words.length : 0;
  };
}

function readFigure(field: Extract<Field, { kind: "count" | "money" | "percentage" }>, text: string, m: Messages, words: FormWords): ReadResult {
  const put = (v: Value): ReadResult => ({ ok: true, values: { [field.id]: v } });
  const read = readAnswer(text, KIND[field.kind]!, { lexicon: words.lexicon, labelAt: labelOf(field, words) });
  const alone = { fields: [field], kept: {}, alone: true };
  if (!read.ok) {
    if (read.choices && read.choices.every((v) => v >= 0)) {
      const options = field.kind === "count" ? read.choices.filter(Number.isInteger) : read.choices;
      if (options.length === 2) {
        const asked = whichAsk(field, options, alone, m);
        return { ok: false, error: asked.text, ask: asked.ask };
      }
    }
    return { ok: false, error: failure(field, read.reason, m) };
  }
  const { value, info } = read;
  const confirm = (v: number, notes: string[] = [], unusual = false): ReadResult => {
    const asked = confirmAsk([field], { [field.id]: v }, notes, m, unusual);
    return { ok: false, error: asked.text, ask: asked.ask };
  };
  const which = (options: number[], bare?: number): ReadResult => {
    const asked = whichAsk(field, options, { ...alone, ...(bare !== undefined ? { bare } : {}) }, m);
    return { ok: false, error: asked.text, ask: asked.ask };
  };
  if (info.zero) return put(0);
  if (field.kind === "money") {
    // "1,500 triệu" is 1,5 triệu or 1.500 triệu; "500,000" is 500.000 (500 đồng is too little to be meant).
    const alts = info.alts.filter((a) => a !== value && bandOf(field, a) !== "low");
    if (alts.length > 0) return which([value, ...alts]);
    if (info.bare) {
      const readings = bareMoneyReadings(field, value, info.intDigits);
      const only = readings.length === 1 ? readings[0]! : undefined;
      if (only?.exact && !info.unknownUnit && !info.hedged) return put(only.value);
      if (only) return confirm(only.value, info.unknownUnit ? [fill(m.read_unit_unknown, { unit: info.unknownUnit })] : []);
      return which(readings.map((r) => r.value), value);
    }
  }
  const band = bandOf(field, value);
  if (band && !info.hedged) {
    return confirm(value, [fill(band === "high" ? m.read_high : m.read_low, { what: field.label, value: formatWithUnit(field, value, m) })], true);
  }
  if (info.hedged) return confirm(value);
  return put(value);
}

type ChoiceField = Extract<Field, { kind: "choice" }>;

/** A choice field's labels and keywords as folded text, once per loaded field. */
const foldedChoices = new WeakMap<ChoiceField, Array<{ value: string; label: string; keywords: string[] }>>();

function choicesOf(field: ChoiceField): Array<{ value: string; label: string; keywords: string[] }> {
  let got = foldedChoices.get(field);
  if (!got) foldedChoices.set(field, (got = field.options.map((o) => ({ value: o.value, label: foldText(o.label), keywords: o.keywords.map(foldText) }))));
  return got;
}

/** Matches a choice by its number in the list ("2", "số 2", "3."), its label or one of its keywords. */
function readChoice(field: ChoiceField, text: string): string | undefined {
  const folded = foldText(text).replace(/^(so|chon|cau|muc)\s+/, "");
  const n = Number.parseInt(folded, 10);
  if (/^\d+\.?$/.test(folded)) return n >= 1 && n <= field.options.length ? field.options[n - 1]!.value : undefined;
  const options = choicesOf(field);
  const byLabel = options.find((o) => o.label === folded || o.value === folded);
  if (byLabel) return byLabel.value;
  // The longest matching keyword wins ("kết hợp" is not "họp" dân); two options named apart ("họp dân và
  // loa") are a question, not a choice.
  const words = ` ${folded} `;
  const matches: Array<{ value: string; at: number; length: number }> = [];
  for (const o of options) {
    for (const fk of o.keywords) {
      const at = fk ? words.indexOf(` ${fk} `) : -1;
      if (at >= 0) matches.push({ value: o.value, at, length: fk.length });
    }
  }
  matches.sort((a, b) => b.length - a.length);
  const best = matches[0];
  if (!best) return undefined;
  const apart = matches.filter((x) => x.value !== best.value && (x.at + x.length <= best.at || x.at >= best.at + best.length + 1));
  return apart.length > 0 ? undefined : best.value;
}

/** The folded words of a field's label, once per loaded field. */
const labelWords = new WeakMap<Field, ReadonlySet<string>>();

function labelWordsOf(field: Field): ReadonlySet<string> {
  let got = labelWords.get(field);
  if (!got) labelWords.set(field, (got = new Set(foldText(field.label).split(/[^a-z]+/).filter(Boolean))));
  return got;
}

/** "không", "không có", "ko có đề xuất gì": nothing to say in a free-text answer. */
function isNothing(field: Field, text: string): boolean {
  const t = text.trim().replace(/[.!…]+$/, "");
  if (t === "-" || t === "0") return true;
  const tokens = tokenize(t).filter((x) => x.kind === "word");
  if (tokens.length === 0 || tokens.length > 8) return false;
  const label = labelWordsOf(field);
  return isZeroAnswer(
    tokens,
    (ws, i) => {
      let n = 0;
      while (ws[i + n] && label.has(ws[i + n]!.fold)) n++;
      return n;
    },
    false,
  );
}

/** Whether a yes comes with figures for the next question ("có, 2 điểm, 5 đại biểu"). */
function hasFigures(text: string): boolean {
  return listFigures(text).figures.some((f) => !f.single);
}

/** Reads the answer to one field. `form`, when given, lets the reader know every word of the form. */
export function readField(field: Field, text: string, m: Messages, form?: FormDef): ReadResult {
  const put = (v: Value | null): ReadResult => ({ ok: true, values: { [field.id]: v } });
  switch (field.kind) {
    case "count":
    case "money":
    case "percentage":
      return readFigure(field, text, m, wordsFor(field, form));
    case "yesno": {
      const r = parseYesNo(text);
      if (r === undefined) return { ok: false, error: m.bad_yesno };
      if (isHedgedYesNo(text)) {
        const asked = confirmAsk([field], { [field.id]: r }, [], m);
        return { ok: false, error: asked.text, ask: asked.ask };
      }
      return r && hasFigures(text) ? { ok: true, values: { [field.id]: r }, carry: text } : put(r);
    }
    case "choice": {
      const v = readChoice(field, text);
      return v === undefined ? { ok: false, error: fill(m.bad_choice, { max: field.options.length }) } : put(v);
    }
    case "text": {
      const t = text.trim();
      if (isNothing(field, t)) return put(null);
      if (t.length > field.max_length) return { ok: false, error: fill(m.bad_text_long, { length: t.length, max: field.max_length }) };
      return t.length === 0 ? { ok: false, error: m.bad_together } : put(t);
    }
  }
}
