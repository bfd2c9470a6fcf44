/**
 * Reading numbers typed by area leaders on a phone (see shared/domain/periods-and-numbers.md).
 *
 * People write "3.850", "3 850", "1tr5", "500k", "2 trăm", "mười hai", "khong", often without diacritics,
 * with Telex/VNI leftovers and words around the figure. The goal is to read every reasonable way of writing
 * a figure and to refuse, with a reason, anything that could be misread: a refused answer costs one polite
 * question, a misread one ends up in an official report.
 *
 * Pipeline: text → tokens (tokens.ts, keyboard leftovers repaired) → candidate figures (figures.ts) → the
 * functions here decide what a single answer, a yes/no or a list of figures means.
 */
import { compareDec, dec, decToNumber, isIntegerDec, negateDec, type Dec } from "./decimal.js";
import { alternativeValues, scanFigures, type Figure, type FigureKind, type FigureOptions } from "./figures.js";
import type { Lexicon } from "./lexicon.js";
import { canonicalChars } from "./normalize.js";
import { isGlued, isSameLine, MAX_INPUT_LENGTH, tokenize, type Token } from "./tokens.js";
import {
  APPROXIMATION_WORDS,
  BASE_LEXICON,
  COMMON_FOLDS,
  DOUBT_WORDS,
  FILLERS,
  isDoubtWord,
  HEDGES_AFTER,
  HEDGES_BEFORE,
  isAnyWord,
  isWord,
  OR_WORDS,
  RANGE_WORDS,
} from "./vocabulary.js";
import { withoutNames } from "./names.js";
import { isZeroAnswer, type LabelAt } from "./zero.js";
import { NUMBER_WORDS } from "./spelled.js";

// Callers that read answers also match words; one import for both is convenient.
export { foldText } from "./normalize.js";

export type ParseFailure =
  | "empty"
  | "not_a_number"
  | "negative"
  | "not_integer"
  | "too_large"
  | "several_numbers";

export type ParseResult = { ok: true; value: number } | { ok: false; reason: ParseFailure };

export interface ExtractedNumber {
  value: number;
  /** Folded words between the previous number (or separator, or start) and this number. */
  before: string;
  /** Folded words after this number, up to the next number or separator. */
  after: string;
}

/** No report figure comes anywhere near this; larger values are typing accidents. */
export const MAX_VALUE = 10n ** 12n;

const fail = (reason: ParseFailure): { ok: false; reason: ParseFailure } => ({ ok: false, reason });

// ---------------------------------------------------------------------------------------------
// One figure answering one question
// ---------------------------------------------------------------------------------------------

export type AnswerKind = "count" | "money" | "percent";

/** What a single answer says, beyond its value: how its size was given and how sure the person was. */
export interface FigureInfo {
  /** Typed with nothing that tells its size ("20", "20000"): no multiplier, currency or percent sign. */
  bare: boolean;
  /** Digits before any decimal separator, as typed; 0 when spelled. */
  intDigits: number;
  /** Other values the same characters may mean ("1,500 triệu": 1,5 triệu or 1.500 triệu). */
  alts: number[];
  /** "hình như 12", "12 thì phải": read, but to be confirmed. */
  hedged: boolean;
  /** A word right after the figure that the reader does not know ("15 lít", "15 chai"). */
  unknownUnit?: string;
  /** The answer was the zero word alone ("không", "chưa có"). */
  zero: boolean;
}

export type AnswerRead =
  | { ok: true; value: number; info: FigureInfo }
  | { ok: false; reason: ParseFailure; /** "10 hay 12", "10-15": the figures given for one. */ choices?: number[] };

export interface AnswerContext {
  /** Words the form knows (units, keywords), for keyboard repair and for telling a unit from an unknown word. */
  lexicon?: Lexicon;
  /** How many words a unit or keyword of the asked field covers at token i (0 when none). */
  labelAt?: LabelAt;
}

const SINGLE_OPTIONS: Readonly<Record<AnswerKind, FigureOptions>> = {
  count: { kind: "count", spaceGrouping: true, decimalFirst: false, rejectGluedLetters: true },
  money: { kind: "money", spaceGrouping: true, decimalFirst: false, rejectGluedLetters: true },
  percent: { kind: "percent", spaceGrouping: false, decimalFirst: true, rejectGluedLetters: true },
};

function phraseAt(tokens: readonly Token[], i: number, phrase: readonly string[]): boolean {
  return phrase.every((w, k) => tokens[i + k]?.kind === "word" && tokens[i + k]!.fold === w);
}

/** Words right after a figure that make it a round-off: "120 mấy người", "100 lẻ" (a hundred-odd). */
const ODD_AFTER: ReadonlySet<string> = new Set(["may", "le"]);

/** The first words of every hedge, to skip the search when none is near. */
const HEDGE_WORDS: ReadonlySet<string> = new Set([...HEDGES_BEFORE, ...HEDGES_AFTER].flat());

/** Whether a hedge stands right before the figure or right after it (fillers between allowed). */
export function isHedged(tokens: readonly Token[], start: number, end: number): boolean {
  const near = (i: number) => tokens[i]?.kind === "word" && HEDGE_WORDS.has(tokens[i]!.fold);
  const next = tokens[end];
  if (next?.kind === "word" && ODD_AFTER.has(next.fold) && (next.raw === next.fold || next.raw === "mấy" || next.raw === "lẻ")) {
    // "100 lẻ 5" spells 105; "100 lẻ" alone is a hundred-odd.
    if (!(next.fold === "le" && tokens[end + 1]?.kind === "digits")) return true;
  }
  let i = start - 1;
  while (i >= 0 && tokens[i]!.kind === "word" && (FILLERS.has(tokens[i]!.fold) || APPROXIMATION_WORDS.has(tokens[i]!.fold))) i--;
  if (near(i)) for (const h of HEDGES_BEFORE) if (phraseAt(tokens, i - h.length + 1, h)) return true;
  let j = end;
  while (j < tokens.length && tokens[j]!.kind === "word" && FILLERS.has(tokens[j]!.fold)) j++;
  if (near(j) || near(j + 1)) for (const h of HEDGES_AFTER) if (phraseAt(tokens, j, h) || phraseAt(tokens, j + 1, h)) return true;
  return false;
}

/** "không nhớ chính xác", "chưa rõ", "không chắc": the person says they are not sure, anywhere in tokens [from, to). */
export function hasDoubt(tokens: readonly Token[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.kind !== "word" || !(isAnyWord(t, NEGATIONS) || t.raw === "hông")) continue;
    for (let k = i + 1; k <= i + 2 && k < to; k++) {
      const w = tokens[k]!;
      if (isDoubtWord(w) || (w.fold === "chinh" && tokens[k + 1]?.fold === "xac")) return true;
    }
  }
  return false;
}

const NEGATIONS: ReadonlySet<string> = new Set(["khong", "ko", "k", "chua", "hong"]);

/** Whether the words between two figures join them as alternatives: "10 hay 12", "10 đến 15", "10-15". */
export function joinsAlternatives(tokens: readonly Token[], a: Figure, b: Figure): boolean {
  const between = tokens.slice(a.end, b.start);
  if (between.some((t) => isAnyWord(t, OR_WORDS))) return true;
  const words = between.filter((t) => t.kind === "word");
  if (words.length === 1 && RANGE_WORDS.has(words[0]!.fold)) return true;
  if (words.length === 2 && words[0]!.fold === "cho" && RANGE_WORDS.has(words[1]!.fold)) return true;
  return between.length === 1 && (between[0]!.raw === "-" || between[0]!.raw === "–" || between[0]!.raw === "~");
}

function signedValue(f: Figure): Dec {
  return f.negative ? negateDec(f.value) : f.value;
}

/** The word right after a bare figure, when the reader does not know it ("15 lít"). */
function unknownUnitAfter(tokens: readonly Token[], f: Figure, lexicon: Lexicon): string | undefined {
  const next = tokens[f.end];
  if (next === undefined || next.kind !== "word" || !isSameLine(next)) return undefined;
  if (COMMON_FOLDS.has(next.fold) || lexicon.byFold.has(next.fold) || FILLERS.has(next.fold) || NUMBER_WORDS.has(next.fold)) return undefined;
  if (DOUBT_WORDS.has(next.fold)) return undefined;
  return next.raw;
}

/**
 * Reads the one figure a message answers with, or why it cannot: the value, and what the person said about
 * its size and their certainty. Used by parseCount/parseMoney/parsePercent and by the form reader.
 */
export function readAnswer(text: string, kind: AnswerKind, context: AnswerContext = {}): AnswerRead {
  if (text.length > MAX_INPUT_LENGTH) return fail("not_a_number");
  const lexicon = context.lexicon ?? BASE_LEXICON;
  const tokens = tokenize(text, lexicon);
  if (tokens.length === 0) return fail("empty");
  const words = tokens.filter((t) => t.kind === "word");
  const hasDigits = tokens.some((t) => t.kind === "digits");
  const meaningful = words.filter((t) => !FILLERS.has(t.fold) && !APPROXIMATION_WORDS.has(t.fold));
  // "tam" alone is tám (8), though "tầm" is also an approximation word.
  if (meaningful.length === 0 && words.length === 1) meaningful.push(words[0]!);
  const scan = scanFigures(tokens, SINGLE_OPTIONS[kind]);
  if (scan.malformed) return fail("not_a_number");
  const scanned = withoutNames(tokens, scan.figures);
  const labelAt = context.labelAt;
  // A one-word spelled number counts when it is the whole answer ("năm", "tam"), when its spelling cannot be
  // another word ("hai buổi"), or when the field's own unit follows it ("nam vu"); never in "12 năm" or "năm nay".
  const meaningfulAt = new Set(meaningful);
  const figures = scanned.filter((f) => {
    if (!f.single) return true;
    if (hasDigits) return false;
    if (!f.weak) return true;
    // The whole answer: no meaningful word outside the figure itself.
    let inside = 0;
    for (let i = f.start; i < f.end; i++) if (meaningfulAt.has(tokens[i]!)) inside++;
    if (meaningful.length === inside) return true;
    return labelAt !== undefined && labelAt(tokens, f.end) > 0;
  });
  if (figures.length === 0) {
    if (words.some((w, i) => DOUBT_WORDS.has(w.fold) && i > 0)) return fail("not_a_number");
    return isZeroAnswer(words, labelAt ? (ws, i) => labelAt(ws, i) : undefined)
      ? { ok: true, value: 0, info: { bare: false, intDigits: 1, alts: [], hedged: false, zero: true } }
      : fail("not_a_number");
  }
  const [first, ...others] = figures as [Figure, ...Figure[]];
  const differs = (f: Figure) => compareDec(signedValue(f), signedValue(first)) !== 0;
  if (others.some(differs)) {
    const pair = figures.length === 2 && joinsAlternatives(tokens, first, figures[1]!);
    return pair ? { ok: false, reason: "several_numbers", choices: alternativeValues(first, figures[1]!).map(decToNumber) } : fail("several_numbers");
  }
  const value = first.value;
  if (first.negative && value.m !== 0n) return fail("negative");
  if (compareDec(value, dec(MAX_VALUE)) > 0) return fail("too_large");
  if (kind === "percent") {
    if (compareDec(value, dec(100n)) > 0) {
      const inRange = first.alts.filter((a) => compareDec(a, dec(100n)) <= 0);
      if (inRange.length === 0) return fail("too_large");
      return okAnswer(inRange[0]!, first, [], tokens, lexicon);
    }
    return okAnswer(value, first, first.alts.filter((a) => compareDec(a, dec(100n)) <= 0), tokens, lexicon);
  }
  const integerAlts = first.alts.filter(isIntegerDec);
  if (!isIntegerDec(value)) {
    if (integerAlts.length === 0) return fail("not_integer");
    return okAnswer(integerAlts[0]!, first, integerAlts.slice(1), tokens, lexicon);
  }
  // For a count, "3,850" can only be 3850; for money "1,500 triệu" stays ambiguous.
  return okAnswer(value, first, kind === "count" ? [] : integerAlts, tokens, lexicon);
}

function okAnswer(value: Dec, f: Figure, alts: Dec[], tokens: readonly Token[], lexicon: Lexicon): AnswerRead {
  const info: FigureInfo = {
    bare: f.bare,
    intDigits: f.intDigits,
    alts: alts.map(decToNumber),
    hedged: isHedged(tokens, f.start, f.end) || hasDoubt(tokens, 0, tokens.length),
    zero: false,
  };
  if (f.bare) {
    const unknown = unknownUnitAfter(tokens, f, lexicon);
    if (unknown !== undefined) info.unknownUnit = unknown;
  }
  return { ok: true, value: decToNumber(value), info };
}

function toResult(read: AnswerRead): ParseResult {
  return read.ok ? { ok: true, value: read.value } : fail(read.reason);
}

/**
 * A non-negative integer count: "3850", "3.850", "3,850", "3 850", "07", "12 buổi", "khoảng 200",
 * "không", "chưa có", "mười hai", "3 nghìn", "2 trăm", "1k2".
 */
export function parseCount(text: string): ParseResult {
  return toResult(readAnswer(text, "count"));
}

/**
 * An amount in whole đồng: "15.000.000", "15 triệu", "15tr", "1,5 triệu", "1tr5", "2tr500", "500k",
 * "500 nghìn", "1,2 tỷ", "15.000.000đ", "mười lăm triệu", "1.500k", "không". An unknown word right after
 * bare digits ("15 lít") is not read as đồng.
 */
export function parseMoney(text: string): ParseResult {
  const read = readAnswer(text, "money");
  if (read.ok && read.info.unknownUnit !== undefined) return fail("not_a_number");
  return toResult(read);
}

/** A percentage from 0 to 100: "66,7%", "66.7 %", "66,7", "100%". Above 100 is "too_large". */
export function parsePercent(text: string): ParseResult {
  return toResult(readAnswer(text, "percent"));
}

/** Size words a person may answer "20 nghìn hay 20 triệu ạ?" with, by folded form. */
const SIZE_WORDS: Readonly<Record<string, number>> = { nghin: 3, ngan: 3, k: 3, ng: 3, trieu: 6, tr: 6, cu: 6, ty: 9, ti: 9 };

/** "triệu", "dạ nghìn ạ", "tr đồng": the answer is only a size word; its power of ten, else undefined. */
export function readSizeWord(text: string): number | undefined {
  if (text.length > 200) return undefined;
  const tokens = tokenize(text, BASE_LEXICON);
  const words = tokens.filter((t) => t.kind === "word" && !FILLERS.has(t.fold) && t.fold !== "dong" && t.fold !== "d");
  if (tokens.some((t) => t.kind === "digits") || words.length !== 1) return undefined;
  const w = words[0]!;
  const pow = SIZE_WORDS[w.fold];
  return pow !== undefined && (w.raw === w.fold || isWord(w, w.fold)) ? pow : undefined;
}

// ---------------------------------------------------------------------------------------------
// Yes / no
// ---------------------------------------------------------------------------------------------

const YES_HEADS: ReadonlySet<string> = new Set([
  "co", "c", "roi", "yes", "y", "yep", "ok", "oke", "okay", "okie", "oki", "dung", "vang", "u", "uh", "um", "uhm",
  "duoc", "xong", "phai",
]);

const NO_HEADS: ReadonlySet<string> = new Set([
  "khong", "ko", "k", "kh", "khg", "kg", "hong", "hok", "hem", "khum", "chua", "chang", "no", "n", "nope", "sai",
]);

const YES_EMOJI = /[\u2705\u2714\u2611\u{1F44D}\u{1F44C}\u{1F197}\u{1F646}]/u;
const NO_EMOJI = /[\u274C\u2716\u274E\u{1F44E}\u{1F6AB}\u{1F645}\u26D4]/u;

/** Words that start a second clause: only the first decides ("có tổ chức nhưng chưa có số liệu"). */
const CLAUSE_BREAKS: ReadonlySet<string> = new Set(["nhung", "ma", "con"]);

function emojiAnswer(text: string): boolean | undefined {
  const yes = YES_EMOJI.test(text);
  const no = NO_EMOJI.test(text);
  return yes === no ? undefined : yes;
}

function trimFillers(words: readonly Token[]): Token[] {
  let from = 0;
  let to = words.length;
  while (from < to && FILLERS.has(words[from]!.fold)) from++;
  while (to > from && FILLERS.has(words[to - 1]!.fold)) to--;
  return words.slice(from, to);
}

const isNoHead = (w: Token): boolean => isAnyWord(w, NO_HEADS) || w.raw === "hổng" || w.raw === "hông";

/** Polarity of the words: the first yes or no word decides, a later contrary word makes it a question. */
function wordsAnswer(tokens: readonly Token[]): boolean | undefined {
  const all = tokens.filter((t) => t.kind === "word" || t.raw === ",");
  const cut = all.findIndex((t, i) => i > 0 && (t.raw === "," || CLAUSE_BREAKS.has(t.fold)));
  const words = (cut > 0 ? all.slice(0, cut) : all).filter((t) => t.kind === "word");
  if (tokens.some((t) => t.kind === "word" && DOUBT_WORDS.has(t.fold))) return undefined;
  const trimmed = trimFillers(words);
  // "dạ" (polite yes) or "đã" (already done) with no other yes/no word: "dạ", "đã tổ chức".
  const startsWithDa = isWord(words[0], "da");
  const firstNo = trimmed.findIndex(isNoHead);
  const firstYes = trimmed.findIndex((w) => isAnyWord(w, YES_HEADS));
  if (firstNo === -1 && firstYes === -1) return startsWithDa ? true : undefined;
  if (firstYes === -1) return false;
  if (firstNo === -1) return true;
  // "không có" is a no; "có không?" asks back.
  return firstNo < firstYes ? false : undefined;
}

/**
 * Yes/no answers: "có", "co", "c", "rồi", "có tổ chức", "ok", "đúng", "dạ vâng", ✅, 👍 → true;
 * "không", "ko", "k", "chưa", "không có", "hổng có", "không tổ chức", "no", ❌ → false; anything else,
 * including bare numbers like "1" or "0", → undefined.
 */
export function parseYesNo(text: string): boolean | undefined {
  if (text.length > MAX_INPUT_LENGTH) return undefined;
  const tokens = tokenize(text, BASE_LEXICON);
  const fromEmoji = emojiAnswer(canonicalChars(text));
  const hasWords = tokens.some((t) => t.kind === "word");
  if (!hasWords) return tokens.some((t) => t.kind === "digits") ? undefined : fromEmoji;
  const fromWords = wordsAnswer(tokens);
  if (fromEmoji === undefined || fromWords === undefined) return fromWords ?? fromEmoji;
  return fromEmoji === fromWords ? fromWords : undefined;
}

/** Whether a yes/no answer is hedged ("hình như có", "chắc là có"): read, but to be confirmed. */
export function isHedgedYesNo(text: string): boolean {
  const tokens = tokenize(text, BASE_LEXICON);
  return HEDGES_BEFORE.some((h) => tokens.some((_, i) => phraseAt(tokens, i, h)));
}

// ---------------------------------------------------------------------------------------------
// Several figures in one message
// ---------------------------------------------------------------------------------------------

const LIST_OPTIONS: FigureOptions = { kind: "any", spaceGrouping: false, decimalFirst: false, rejectGluedLetters: false };

/** Whether a punctuation token ends a segment: ",", ";", or a sentence-ending "." ("12 buổi. 350 người"). */
export function isSeparator(tokens: readonly Token[], index: number): boolean {
  const token = tokens[index];
  if (token === undefined || token.kind !== "punct") return false;
  if (token.raw === "," || token.raw === ";") return true;
  const next = tokens[index + 1];
  return token.raw === "." && (next === undefined || !isGlued(next));
}

/** Splits token indices into segments at separators and line breaks, never inside a figure. */
export function segmentBounds(tokens: readonly Token[], figures: readonly Figure[]): Array<[number, number]> {
  const inside = new Uint8Array(tokens.length);
  for (const f of figures) for (let i = f.start; i < f.end; i++) inside[i] = 1;
  const bounds: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (i > start && !isSameLine(token)) {
      bounds.push([start, i]);
      start = i;
    }
    if (!inside[i] && isSeparator(tokens, i)) {
      bounds.push([start, i]);
      start = i + 1;
    }
  }
  bounds.push([start, tokens.length]);
  return bounds;
}

/** The folded words (and "%" signs) in a token range, joined by single spaces. */
function wordsBetween(tokens: readonly Token[], from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    const token = tokens[i];
    if (token?.kind === "word" || token?.raw === "%") parts.push(token.fold);
  }
  return parts.join(" ");
}

/**
 * Figures of a message that lists several, as the list readers see them; `isLabelAt` tells the words that
 * name a figure, so "5 k thành 0" is not 5.000.
 */
export function listFigures(
  text: string,
  lexicon: Lexicon = BASE_LEXICON,
  isLabelAt?: (tokens: readonly Token[], i: number) => boolean,
): { tokens: Token[]; figures: Figure[] } {
  if (text.length > MAX_INPUT_LENGTH) return { tokens: [], figures: [] };
  const tokens = tokenize(text, lexicon);
  return { tokens, figures: scanFigures(tokens, isLabelAt ? { ...LIST_OPTIONS, isLabelAt } : LIST_OPTIONS).figures };
}

/**
 * All figures of a message that answers several fields at once, in order, with the words around each:
 * "12 buoi 3.850 nguoi" → [{12, "", "buoi"}, {3850, "buoi", "nguoi"}]. Digits separated by a space are
 * separate figures here ("12 350" → 12 and 350); money multipliers belong to the figure ("thu 15tr" →
 * 15000000); a segment with only a zero word is a zero figure ("tiếp nhận không"). Values are not
 * range-checked: callers validate them.
 */
export function extractNumbers(text: string): ExtractedNumber[] {
  const { tokens, figures: all } = listFigures(text);
  const figures = all.filter((f) => !f.single);
  const out: ExtractedNumber[] = [];
  for (const [from, to] of segmentBounds(tokens, figures)) {
    const inside = figures.filter((f) => f.start >= from && f.end <= to);
    if (inside.length === 0) {
      const words = tokens.slice(from, to).filter((t) => t.kind === "word");
      const at = zeroStart(words);
      if (at !== undefined) out.push({ value: 0, before: words.slice(0, at).map((w) => w.fold).join(" "), after: "" });
      continue;
    }
    inside.forEach((f, k) => {
      const after = wordsBetween(tokens, f.end, inside[k + 1]?.start ?? to);
      out.push({
        value: decToNumber(signedValue(f)),
        before: wordsBetween(tokens, inside[k - 1]?.end ?? from, f.start),
        after: f.percent ? ["%", after].filter(Boolean).join(" ") : after,
      });
    });
  }
  return out;
}

/** Where a zero answer closing the words starts ("tiếp nhận không" → 2), or undefined. */
function zeroStart(words: readonly Token[]): number | undefined {
  for (let k = Math.max(0, words.length - 8); k < words.length; k++) {
    if (isZeroAnswer(words.slice(k)) && isAnyWordZero(words[k])) return k;
  }
  return undefined;
}

function isAnyWordZero(t: Token | undefined): boolean {
  return t !== undefined && isZeroAnswer([t]);
}

export type { Figure, FigureKind };
