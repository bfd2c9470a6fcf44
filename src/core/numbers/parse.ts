/**
 * Reading numbers typed by area leaders on a phone (see shared/domain/periods-and-numbers.md).
 *
 * People write "3.850", "3 850", "1tr5", "500k", "mười hai", "khong", often without diacritics and
 * with words around the figure. The goal is to read every reasonable way of writing a figure and
 * to refuse, with a reason, anything that could be misread: a refused answer costs one polite
 * question, a misread one ends up in an official report.
 *
 * Pipeline: text → tokens (digits, words, punctuation) → number items (numerals with multipliers,
 * spelled-out numbers) → the public functions decide what a message means.
 * Values are kept as exact decimals (bigint mantissa and power of ten) until the very end, so
 * "1,2345 triệu" is exactly 1.234.500 and not a binary-float approximation.
 */

import { canonicalChars, foldText, stripDiacritics } from "./normalize.js";

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
const MAX_VALUE = 10n ** 12n;

/** Telegram caps messages at 4096 characters; anything far longer is not an answer to read. */
const MAX_INPUT_LENGTH = 20_000;

// ---------------------------------------------------------------------------------------------
// Exact decimals
// ---------------------------------------------------------------------------------------------

/** value = m × 10^e, exact. */
interface Dec {
  m: bigint;
  e: number;
}

const pow10 = (k: number): bigint => 10n ** BigInt(k);

function dec(m: bigint, e = 0): Dec {
  return { m, e };
}

function addDec(a: Dec, b: Dec): Dec {
  const e = Math.min(a.e, b.e);
  return dec(a.m * pow10(a.e - e) + b.m * pow10(b.e - e), e);
}

function shiftDec(a: Dec, k: number): Dec {
  return dec(a.m, a.e + k);
}

/** Compares two decimals: negative, zero or positive like a sort comparator. */
function compareDec(a: Dec, b: Dec): number {
  const e = Math.min(a.e, b.e);
  const x = a.m * pow10(a.e - e);
  const y = b.m * pow10(b.e - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isIntegerDec(a: Dec): boolean {
  return a.e >= 0 || a.m % pow10(-a.e) === 0n;
}

function decToNumber(a: Dec): number {
  // Going through the decimal string gives the double nearest to the exact value ("66.7" → 66.7).
  return Number(`${a.m}e${a.e}`);
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

type TokenKind = "digits" | "word" | "punct";

interface Token {
  kind: TokenKind;
  /** Lowercase NFKC text with diacritics kept, to tell "sáu" (six) from "sau" (after). */
  raw: string;
  /** Diacritic-free form used for matching. */
  fold: string;
  /** Whitespace right before the token; "" means the token is glued to the previous one. */
  gap: string;
}

/** One token per match: optional leading whitespace, then ASCII digits, a word, or one other character. */
const TOKEN_PATTERN = /(\s*)(?:(\d+)|(\p{L}[\p{L}\p{M}]*)|(\S))/gu;

/** Markup such as "<b>12</b>" pasted from a rich-text source; the tags carry no figures. */
const MARKUP_TAG = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/g;

function tokenize(text: string): Token[] {
  const prepared = canonicalChars(text).replace(MARKUP_TAG, " ");
  const tokens: Token[] = [];
  for (const match of prepared.matchAll(TOKEN_PATTERN)) {
    const [, gap = "", digits, word, other] = match;
    if (digits !== undefined) tokens.push({ kind: "digits", raw: digits, fold: digits, gap });
    else if (word !== undefined) tokens.push({ kind: "word", raw: word, fold: stripDiacritics(word), gap });
    else if (other !== undefined) tokens.push({ kind: "punct", raw: other, fold: other, gap });
  }
  return tokens;
}

const isGlued = (token: Token): boolean => token.gap === "";
const isSameLine = (token: Token): boolean => !/[\n\r\u2028\u2029]/.test(token.gap);

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/**
 * Correct Vietnamese spellings of the words we recognise, by folded form. A typed word matches a
 * folded word when it has no diacritics at all (typed on a bare keyboard) or is one of these
 * spellings; so "sáu"/"sau" both mean six but "trạm" (station) is not "trăm" (hundred).
 */
const SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  khong: ["không"],
  mot: ["một", "mốt"],
  bon: ["bốn"],
  tu: ["tư"],
  nam: ["năm"],
  lam: ["lăm"],
  nham: ["nhăm"],
  sau: ["sáu"],
  bay: ["bảy", "bẩy"],
  tam: ["tám"],
  chin: ["chín"],
  muoi: ["mười", "mươi"],
  chuc: ["chục"],
  tram: ["trăm"],
  le: ["lẻ"],
  ruoi: ["rưỡi"],
  nghin: ["nghìn"],
  ngan: ["ngàn"],
  trieu: ["triệu"],
  ty: ["tỷ"],
  ti: ["tỉ"],
  cu: ["củ"],
  chua: ["chưa"],
  hong: ["hông"],
  chang: ["chẳng"],
  co: ["có"],
  roi: ["rồi"],
  dung: ["đúng"],
  vang: ["vâng"],
  duoc: ["được"],
  phai: ["phải"],
  u: ["ừ", "ư"],
  da: ["dạ", "đã"],
  thu: ["thứ"],
  so: ["số"],
};

/** Whether a token is the given folded word, typed either without diacritics or spelled correctly. */
function isWord(token: Token | undefined, folded: string): boolean {
  if (token === undefined || token.kind !== "word" || token.fold !== folded) return false;
  return token.raw === folded || (SPELLINGS[folded]?.includes(token.raw) ?? false);
}

function isAnyWord(token: Token | undefined, words: ReadonlySet<string>): boolean {
  return token !== undefined && words.has(token.fold) && isWord(token, token.fold);
}

/** Words of courtesy that do not change the meaning of a short answer ("dạ không có ạ"). */
const FILLERS: ReadonlySet<string> = new Set(["da", "a", "ah", "ak", "nha", "nhe", "oi", "thua", "anh", "chi", "em", "ban"]);

// ---------------------------------------------------------------------------------------------
// Multipliers: "15 triệu", "15tr", "500k", "1 tỷ"
// ---------------------------------------------------------------------------------------------

interface Multiplier {
  /** Power of ten the number is multiplied by. */
  pow: number;
  /** Whether the multiplier may be separated from the digits by a space ("15 tr"), or only glued ("3k"). */
  spaced: boolean;
}

const FULL_WORD_MULTIPLIERS: ReadonlyArray<[string, Multiplier]> = [
  ["nghin", { pow: 3, spaced: true }],
  ["ngan", { pow: 3, spaced: true }],
  ["trieu", { pow: 6, spaced: true }],
  ["ty", { pow: 9, spaced: true }],
  ["ti", { pow: 9, spaced: true }],
];

/** Counts: "3 nghìn" and "3k" read as thousands; "tr" and "n" are too ambiguous ("12n" = 12 người). */
const COUNT_MULTIPLIERS = new Map<string, Multiplier>([...FULL_WORD_MULTIPLIERS, ["k", { pow: 3, spaced: false }]]);

/** Money: every abbreviation people use for đồng amounts. */
const MONEY_MULTIPLIERS = new Map<string, Multiplier>([
  ...FULL_WORD_MULTIPLIERS,
  ["tr", { pow: 6, spaced: true }],
  ["k", { pow: 3, spaced: true }],
  ["n", { pow: 3, spaced: true }],
  // "15 củ" is everyday slang for 15 triệu; only here, as "củ" elsewhere is "cử tri" folded.
  ["cu", { pow: 6, spaced: true }],
]);

/** Mixed messages ("thu 15tr, giúp 12 hộ"): money words but not "n", which often abbreviates "người". */
const EXTRACT_MULTIPLIERS = new Map<string, Multiplier>([
  ...FULL_WORD_MULTIPLIERS,
  ["tr", { pow: 6, spaced: true }],
  ["k", { pow: 3, spaced: false }],
]);

const NO_MULTIPLIERS = new Map<string, Multiplier>();

// ---------------------------------------------------------------------------------------------
// Reading options: single answers and multi-figure messages read differently
// ---------------------------------------------------------------------------------------------

interface ReadOptions {
  multipliers: ReadonlyMap<string, Multiplier>;
  /** "3 850" is one number. Only for single answers: in "12 350" listing figures it would merge two. */
  spaceGrouping: boolean;
  /** "1 triệu 2" is 1.200.000. Only for single answers: in "15 triệu 12 hộ" the 12 is another figure. */
  spacedFraction: boolean;
  /** A lone separator is a decimal point ("83,333" percent), not a thousands separator. */
  decimalFirst: boolean;
  /** "1e9", "0x10", "12h30" are refused rather than read as two numbers. */
  rejectGluedLetters: boolean;
  /** Ambiguous single number words ("năm" is also "year", "sau" also "after") count when they are the whole answer. */
  allowWeakWords: boolean;
  /** Spelled numbers of a single word ("hai") count; in multi-figure messages only longer ones do. */
  allowSingleWords: boolean;
}

const COUNT_OPTIONS: Omit<ReadOptions, "allowWeakWords"> = {
  multipliers: COUNT_MULTIPLIERS,
  spaceGrouping: true,
  spacedFraction: false,
  decimalFirst: false,
  rejectGluedLetters: true,
  allowSingleWords: true,
};

const MONEY_OPTIONS: Omit<ReadOptions, "allowWeakWords"> = {
  ...COUNT_OPTIONS,
  multipliers: MONEY_MULTIPLIERS,
  spacedFraction: true,
};

const PERCENT_OPTIONS: Omit<ReadOptions, "allowWeakWords"> = {
  ...COUNT_OPTIONS,
  multipliers: NO_MULTIPLIERS,
  spaceGrouping: false,
  decimalFirst: true,
};

const EXTRACT_OPTIONS: ReadOptions = {
  multipliers: EXTRACT_MULTIPLIERS,
  spaceGrouping: false,
  spacedFraction: false,
  decimalFirst: false,
  rejectGluedLetters: false,
  allowWeakWords: false,
  allowSingleWords: false,
};

// ---------------------------------------------------------------------------------------------
// Numerals: "3.850", "3 850", "1,5 triệu", "2tr500", "2 triệu 500 nghìn"
// ---------------------------------------------------------------------------------------------

/** Digit groups glued by separators, e.g. "3.850,5" → groups ["3","850","5"], separators [".", ","]. */
interface Literal {
  groups: string[];
  separators: string[];
  next: number;
}

function readLiteral(tokens: readonly Token[], start: number, spaceGrouping: boolean): Literal {
  const first = tokens[start];
  const groups = [first?.raw ?? ""];
  const separators: string[] = [];
  let pos = start + 1;
  for (;;) {
    const sep = tokens[pos];
    const digits = tokens[pos + 1];
    const glued = sep !== undefined && digits !== undefined && isGlued(sep) && isGlued(digits);
    if (!glued || sep.kind !== "punct" || (sep.raw !== "." && sep.raw !== ",") || digits.kind !== "digits") break;
    separators.push(sep.raw);
    groups.push(digits.raw);
    pos += 2;
  }
  if (spaceGrouping && separators.length === 0) pos = readSpaceGroups(tokens, pos, groups, separators);
  return { groups, separators, next: pos };
}

/** "3 850", "1 500 000": groups of exactly three digits after a single space. */
function readSpaceGroups(tokens: readonly Token[], pos: number, groups: string[], separators: string[]): number {
  const first = groups[0] ?? "";
  if (first.length > 3 || first.startsWith("0")) return pos;
  for (;;) {
    const next = tokens[pos];
    if (next === undefined || next.kind !== "digits" || next.raw.length !== 3 || next.gap !== " ") return pos;
    // "3 850,5" or "3 850.000" mixes styles; leave the rest for the normal reading.
    const after = tokens[pos + 1];
    if (after !== undefined && isGlued(after) && (after.raw === "." || after.raw === ",")) return pos;
    separators.push(" ");
    groups.push(next.raw);
    pos++;
  }
}

/** Whether groups after the first are thousands groups: "3.850", "15.000.000", "1,500". */
function isThousandsGrouping(groups: readonly string[]): boolean {
  const [first = "", ...rest] = groups;
  // "0.500" is a decimal, never a thousands grouping.
  return first.length >= 1 && first.length <= 3 && !first.startsWith("0") && rest.every((g) => g.length === 3);
}

function decimalOf(intDigits: string, fracDigits: string): Dec {
  return dec(BigInt(intDigits + fracDigits), -fracDigits.length);
}

/**
 * The value of a literal, or undefined when it cannot be read unambiguously ("1.2.3", "1.23.456").
 * Rules: a separator followed by exactly three digits groups thousands (3.850, 3,850); otherwise a
 * lone separator is a decimal point (2,5 · 1.5); "3.850,5" and "3,850.5" are 3850.5.
 */
function interpretLiteral(literal: Literal, decimalFirst: boolean): Dec | undefined {
  const { groups, separators } = literal;
  const [first = "", ...rest] = groups;
  if (separators.length === 0) return dec(BigInt(first));
  if (separators.every((s) => s === " ")) return dec(BigInt(groups.join("")));

  const single = separators.length === 1;
  if (single && decimalFirst) return decimalOf(first, rest[0] ?? "");

  const sameSeparator = separators.every((s) => s === separators[0]);
  if (sameSeparator && isThousandsGrouping(groups)) return dec(BigInt(groups.join("")));

  const last = separators[separators.length - 1];
  const leading = separators.slice(0, -1);
  const intGroups = groups.slice(0, -1);
  const mixedStyle = leading.length > 0 && leading.every((s) => s === leading[0] && s !== last);
  if (mixedStyle && isThousandsGrouping(intGroups)) return decimalOf(intGroups.join(""), groups[groups.length - 1] ?? "");

  if (single) return decimalOf(first, rest[0] ?? "");
  return undefined;
}

function multiplierAt(tokens: readonly Token[], pos: number, opts: ReadOptions): Multiplier | undefined {
  const token = tokens[pos];
  if (token === undefined || token.kind !== "word" || !isSameLine(token)) return undefined;
  const multiplier = opts.multipliers.get(token.fold);
  if (multiplier === undefined || !isWord(token, token.fold)) return undefined;
  if (!multiplier.spaced && !isGlued(token)) return undefined;
  return multiplier;
}

/** A number read from digits, possibly followed by a multiplier and its tail. */
interface Numeral {
  value: Dec;
  /** Power of ten of the multiplier, 0 without one; used to chain "2 triệu 500 nghìn". */
  pow: number;
  /** True for bare digits without separators or multiplier (candidates for "1 triệu 2"). */
  plain: boolean;
  next: number;
}

type NumeralRead = ({ kind: "number" } & Numeral) | { kind: "malformed"; next: number };

function readNumeral(tokens: readonly Token[], start: number, opts: ReadOptions): NumeralRead {
  const literal = readLiteral(tokens, start, opts.spaceGrouping);
  const multiplier = multiplierAt(tokens, literal.next, opts);
  // Before a multiplier the number is small, so "1.5 triệu" and "1,500 triệu" both mean 1,5 triệu.
  const base = interpretLiteral(literal, opts.decimalFirst || multiplier !== undefined);
  if (base === undefined) return { kind: "malformed", next: literal.next };

  if (opts.rejectGluedLetters && hasLookalikeLetter(tokens, start, literal.next)) {
    return { kind: "malformed", next: literal.next + 1 };
  }
  if (multiplier === undefined) {
    if (opts.rejectGluedLetters && hasGluedLettersThenDigits(tokens, literal.next)) {
      return { kind: "malformed", next: literal.next + 2 };
    }
    const plain = literal.separators.length === 0;
    return { kind: "number", value: base, pow: 0, plain, next: literal.next };
  }
  const tail = readMultiplierTail(tokens, literal.next + 1, multiplier.pow, opts);
  const value = addDec(shiftDec(base, multiplier.pow), tail.value);
  return { kind: "number", value, pow: multiplier.pow, plain: false, next: tail.next };
}

/** Letters that stand in for digits on a careless keyboard: "l2" may be 12, "1O" may be 10. */
const LOOKALIKE_LETTERS: ReadonlySet<string> = new Set(["l", "i", "o"]);

/** A lone lookalike letter glued to the digits; guessing would risk a wrong figure, so it is refused. */
function hasLookalikeLetter(tokens: readonly Token[], start: number, next: number): boolean {
  const before = tokens[start - 1];
  const digits = tokens[start];
  const after = tokens[next];
  const gluedBefore = before?.kind === "word" && digits !== undefined && isGlued(digits) && LOOKALIKE_LETTERS.has(before.fold);
  const gluedAfter = after?.kind === "word" && isGlued(after) && LOOKALIKE_LETTERS.has(after.fold);
  return gluedBefore || gluedAfter;
}

/** "1e9", "0x10", "12h30": letters glued between digits make a code or a time, not a figure. */
function hasGluedLettersThenDigits(tokens: readonly Token[], pos: number): boolean {
  const letters = tokens[pos];
  const digits = tokens[pos + 1];
  return (
    letters !== undefined && letters.kind === "word" && isGlued(letters) &&
    digits !== undefined && digits.kind === "digits" && isGlued(digits)
  );
}

/**
 * What follows a multiplier and belongs to the same amount:
 * "1tr5" / "2tr500" (glued digits are the leading digits of the next unit), "2 triệu rưỡi" (half),
 * "2 triệu 500 nghìn" (a smaller unit), and for single answers "1 triệu 2" (= 1,2 triệu).
 */
function readMultiplierTail(tokens: readonly Token[], pos: number, pow: number, opts: ReadOptions): { value: Dec; next: number } {
  const none = { value: dec(0n), next: pos };
  const token = tokens[pos];
  if (token === undefined || !isSameLine(token)) return none;

  if (token.kind === "digits" && isGlued(token)) {
    return { value: dec(BigInt(token.raw), pow - token.raw.length), next: pos + 1 };
  }
  if (isWord(token, "ruoi")) return { value: dec(5n, pow - 1), next: pos + 1 };
  if (token.kind !== "digits") return none;

  const sub = readNumeral(tokens, pos, { ...opts, spaceGrouping: false });
  if (sub.kind !== "number") return none;
  if (sub.pow > 0 && sub.pow < pow) return { value: sub.value, next: sub.next };
  if (opts.spacedFraction && sub.pow === 0 && sub.plain && token.raw.length <= 3 && !startsNumber(tokens[sub.next])) {
    return { value: dec(BigInt(token.raw), pow - token.raw.length), next: sub.next };
  }
  return none;
}

function startsNumber(token: Token | undefined): boolean {
  return token !== undefined && token.kind === "digits";
}

/** "-5", "(−5)": a minus sign glued to the digits and not part of a range like "12-15". */
function isNegativeAt(tokens: readonly Token[], start: number): boolean {
  const digits = tokens[start];
  const sign = tokens[start - 1];
  if (digits === undefined || sign === undefined || !isGlued(digits)) return false;
  if (sign.raw !== "-" && sign.raw !== "\u2212") return false;
  const beforeSign = tokens[start - 2];
  return beforeSign === undefined || !isGlued(sign) || beforeSign.kind === "punct";
}

// ---------------------------------------------------------------------------------------------
// Spelled-out numbers: "mười hai", "hai mươi lăm", "một trăm linh năm", "ba nghìn tám trăm năm mươi"
// ---------------------------------------------------------------------------------------------

const DIGIT_WORDS: Readonly<Record<string, number>> = {
  khong: 0, mot: 1, hai: 2, ba: 3, bon: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9,
};

/** Units after "mười"/"mươi" also take the forms "mốt" (1), "tư" (4), "lăm"/"nhăm" (5). */
const UNIT_AFTER_TENS: Readonly<Record<string, number>> = {
  mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5, lam: 5, nham: 5, sau: 6, bay: 7, tam: 8, chin: 9,
};

/** After "linh"/"lẻ": "một trăm linh năm" = 105, "một trăm linh tư" = 104. */
const UNIT_AFTER_LINH: Readonly<Record<string, number>> = {
  mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9,
};

/** A digit closing an abbreviated amount: "hai trăm mốt" = 210, "ba nghìn tám" = 3800. */
const TRAILING_DIGIT = UNIT_AFTER_LINH;

const SCALE_POW: Readonly<Record<string, number>> = { nghin: 3, ngan: 3, trieu: 6, ty: 9, ti: 9 };

const NUMBER_WORDS: ReadonlySet<string> = new Set([
  ...Object.keys(DIGIT_WORDS), ...Object.keys(UNIT_AFTER_TENS), ...Object.keys(SCALE_POW),
  "muoi", "chuc", "tram", "linh", "le", "ruoi",
]);

/** Single words that are numbers whatever surrounds them (the correct spelling is unambiguous). */
const STRONG_SINGLE_WORDS: ReadonlySet<string> = new Set([
  "một", "hai", "ba", "bốn", "sáu", "bảy", "bẩy", "tám", "chín", "mười", "chin", "muoi",
]);

/** Reads words left to right; a tiny parser over the folded words of one run. */
class WordCursor {
  pos = 0;
  constructor(private readonly words: readonly string[]) {}
  peek(ahead = 0): string | undefined {
    return this.words[this.pos + ahead];
  }
}

const isRunEndOrScale = (word: string | undefined): boolean => word === undefined || SCALE_POW[word] !== undefined;

/** A number below one thousand; `afterScale` allows "linh năm" right after "nghìn". */
function readGroup(c: WordCursor, afterScale: boolean): bigint | undefined {
  const start = c.pos;
  let value = 0n;
  let hundreds = false;
  const hundredsDigit = DIGIT_WORDS[c.peek() ?? ""];
  if (hundredsDigit !== undefined && c.peek(1) === "tram") {
    value = BigInt(hundredsDigit) * 100n;
    c.pos += 2;
    hundreds = true;
    if (c.peek() === "ruoi") {
      c.pos++;
      return value + 50n;
    }
    const trailing = TRAILING_DIGIT[c.peek() ?? ""];
    if (trailing !== undefined && isRunEndOrScale(c.peek(1))) {
      c.pos++;
      return value + BigInt(trailing) * 10n;
    }
  }
  if ((hundreds || afterScale) && (c.peek() === "linh" || c.peek() === "le")) {
    const unit = UNIT_AFTER_LINH[c.peek(1) ?? ""];
    if (unit === undefined) return hundreds ? value : undefined;
    c.pos += 2;
    return value + BigInt(unit);
  }
  const tens = readTens(c);
  if (tens !== undefined) return value + tens;
  return c.pos > start ? value : undefined;
}

/** "mười", "mười lăm", "hai mươi", "hai mươi mốt", "hai chục", or a single digit. */
function readTens(c: WordCursor): bigint | undefined {
  const word = c.peek() ?? "";
  if (word === "muoi") {
    c.pos++;
    return 10n + readUnitAfterTens(c);
  }
  const digit = DIGIT_WORDS[word];
  if (digit === undefined || digit === 0) return undefined;
  const next = c.peek(1);
  if (next === "muoi" || next === "chuc") {
    c.pos += 2;
    return BigInt(digit) * 10n + (next === "muoi" ? readUnitAfterTens(c) : 0n);
  }
  c.pos++;
  return BigInt(digit);
}

function readUnitAfterTens(c: WordCursor): bigint {
  const unit = UNIT_AFTER_TENS[c.peek() ?? ""];
  if (unit === undefined) return 0n;
  c.pos++;
  return BigInt(unit);
}

/** After a scale word: "triệu rưỡi" (half) or one closing digit, "ba nghìn tám" = 3800. */
function readScaleTail(c: WordCursor, pow: number): bigint | undefined {
  if (c.peek() === "ruoi") {
    c.pos++;
    return 5n * pow10(pow - 1);
  }
  const trailing = TRAILING_DIGIT[c.peek() ?? ""];
  if (trailing !== undefined && c.peek(1) === undefined) {
    c.pos++;
    return BigInt(trailing) * pow10(pow - 1);
  }
  return undefined;
}

/**
 * Reads the longest spelled number at the start of `words` (folded number words).
 * Returns the value and how many words it used, or undefined if the first word cannot start one.
 */
function parseSpelledWords(words: readonly string[]): { value: bigint; used: number } | undefined {
  const c = new WordCursor(words);
  let group = readGroup(c, false);
  if (group === undefined) return undefined;
  let total = 0n;
  let lastPow = Number.POSITIVE_INFINITY;
  for (;;) {
    const pow = SCALE_POW[c.peek() ?? ""];
    if (pow === undefined) break;
    c.pos++;
    // "một nghìn tỷ": a larger scale after a smaller one multiplies everything before it.
    if (total > 0n && pow > lastPow) total = (total + group) * pow10(pow);
    else total += group * pow10(pow);
    lastPow = pow;
    group = 0n;
    const tail = readScaleTail(c, pow);
    if (tail !== undefined) {
      total += tail;
      break;
    }
    group = readGroup(c, true) ?? 0n;
  }
  return { value: total + group, used: c.pos };
}

/**
 * Whether a one-word spelled number really is a number here. "một số hộ" (some households),
 * "thứ hai" (Monday) and "12 năm" (years) are not; "sau" (after), "nam" (male) need the whole answer.
 */
function isSingleWordNumber(tokens: readonly Token[], index: number, opts: ReadOptions): boolean {
  const token = tokens[index];
  if (token === undefined || !opts.allowSingleWords) return false;
  if (isWord(tokens[index - 1], "thu") || isWord(tokens[index + 1], "so")) return false;
  return STRONG_SINGLE_WORDS.has(token.raw) || (opts.allowWeakWords && DIGIT_WORDS[token.fold] !== undefined);
}

/** No spelled figure below 10^12 needs more words; the cap keeps long messages linear. */
const MAX_SPELLED_WORDS = 24;

/** Reads a spelled number starting at `start`, or returns undefined if none starts there. */
function readSpelled(tokens: readonly Token[], start: number, opts: ReadOptions): { value: Dec; next: number } | undefined {
  const words: string[] = [];
  for (let i = start; i < tokens.length && words.length < MAX_SPELLED_WORDS; i++) {
    const token = tokens[i];
    if (token === undefined || !isAnyWord(token, NUMBER_WORDS)) break;
    if (i > start && (!isSameLine(token) || isGlued(token))) break;
    words.push(token.fold);
  }
  const parsed = words.length === 0 ? undefined : parseSpelledWords(words);
  if (parsed === undefined) return undefined;
  if (parsed.used === 1 && !isSingleWordNumber(tokens, start, opts)) return undefined;
  return { value: dec(parsed.value), next: start + parsed.used };
}

// ---------------------------------------------------------------------------------------------
// Number items in a message
// ---------------------------------------------------------------------------------------------

interface NumberItem {
  value: Dec;
  negative: boolean;
  /** Token range [start, end). */
  start: number;
  end: number;
}

interface ReadItems {
  items: NumberItem[];
  /** Something looked like a number but cannot be read ("1.2.3", "1e9"). */
  malformed: boolean;
}

function readItems(tokens: readonly Token[], opts: ReadOptions): ReadItems {
  const items: NumberItem[] = [];
  let malformed = false;
  let pos = 0;
  while (pos < tokens.length) {
    const token = tokens[pos];
    if (token?.kind === "digits") {
      const read = readNumeral(tokens, pos, opts);
      if (read.kind === "number") {
        items.push({ value: read.value, negative: isNegativeAt(tokens, pos), start: pos, end: read.next });
      } else {
        malformed = true;
        items.push(...readGroupsSeparately(tokens, pos, read.next));
      }
      pos = Math.max(read.next, pos + 1);
      continue;
    }
    const spelled = token?.kind === "word" ? readSpelled(tokens, pos, opts) : undefined;
    if (spelled !== undefined) {
      items.push({ value: spelled.value, negative: false, start: pos, end: spelled.next });
      pos = spelled.next;
      continue;
    }
    pos++;
  }
  return { items, malformed };
}

/** An unreadable literal such as a date "06.02.2024" still yields its parts, so nothing vanishes. */
function readGroupsSeparately(tokens: readonly Token[], start: number, end: number): NumberItem[] {
  const items: NumberItem[] = [];
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    if (token?.kind === "digits") items.push({ value: dec(BigInt(token.raw)), negative: false, start: i, end: i + 1 });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Zero answers: "0", "không", "ko", "k", "không có", "chưa có", "chưa tổ chức", "không có buổi nào"
// ---------------------------------------------------------------------------------------------

const ZERO_HEADS: ReadonlySet<string> = new Set([
  "khong", "ko", "k", "kh", "khg", "hong", "hok", "chua", "chang", "none", "nil", "null", "no", "zero",
]);

/** Verbs that may follow the zero word: "chưa tổ chức", "không phát sinh". */
const ZERO_VERBS: ReadonlyArray<readonly [string, string]> = [
  ["to", "chuc"], ["phat", "sinh"], ["xay", "ra"], ["tham", "gia"], ["thuc", "hien"], ["tiep", "nhan"],
];

/** Words that may close a zero answer: "không có ai", "không có gì", "chưa có hết", "không có buổi nào". */
const ZERO_TAIL: ReadonlySet<string> = new Set(["ai", "gi", "nao", "het", "ca", "luon", "dau", "nhe", "nha", "a", "ah"]);

const MAX_ZERO_PHRASE_WORDS = 8;

function trimFillers(tokens: readonly Token[]): Token[] {
  let from = 0;
  let to = tokens.length;
  while (from < to && FILLERS.has(tokens[from]?.fold ?? "")) from++;
  while (to > from && FILLERS.has(tokens[to - 1]?.fold ?? "")) to--;
  return tokens.slice(from, to);
}

/** Whether the words are a complete "nothing" answer, starting with the zero word itself. */
function isZeroPhrase(words: readonly Token[]): boolean {
  if (!isAnyWord(words[0], ZERO_HEADS)) return false;
  let i = 1;
  if (isWord(words[i], "co")) i++;
  const verb = ZERO_VERBS.find(([a, b]) => words[i]?.fold === a && words[i + 1]?.fold === b);
  if (verb !== undefined) i += 2;
  const rest = words.slice(i).map((w) => w.fold);
  // "không có buổi nào": one noun may stand before "nào".
  if (rest.length >= 2 && rest[1] === "nao" && !ZERO_TAIL.has(rest[0] ?? "")) rest.shift();
  return rest.every((w) => ZERO_TAIL.has(w));
}

/**
 * Finds a zero answer closing the words ("tiếp nhận không" → at index 2), or undefined.
 * "không biết" (don't know) and "chưa có số liệu" (no data yet) are not zero.
 */
function findZeroPhrase(words: readonly Token[]): number | undefined {
  const trimmed = trimFillers(words);
  const offset = words.indexOf(trimmed[0] as Token);
  // A zero answer is a few words long; looking only at the end keeps long messages linear.
  for (let k = Math.max(0, trimmed.length - MAX_ZERO_PHRASE_WORDS); k < trimmed.length; k++) {
    if (isZeroPhrase(trimmed.slice(k))) return offset + k;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Single answers: parseCount, parseMoney, parsePercent
// ---------------------------------------------------------------------------------------------

/** Words that introduce an answer without being part of it: "khoảng năm", "được sáu". */
const ANSWER_LEAD_WORDS: ReadonlySet<string> = new Set(["khoang", "duoc", "co", "la", "chung", "gan", "tren", "hon"]);

type SingleRead = { ok: true; value: Dec; negative: boolean } | { ok: false; reason: ParseFailure };

const fail = (reason: ParseFailure): { ok: false; reason: ParseFailure } => ({ ok: false, reason });

/** Reads the one number a message answers with, or why it cannot. */
function readSingle(text: string, base: Omit<ReadOptions, "allowWeakWords">): SingleRead {
  if (text.length > MAX_INPUT_LENGTH) return fail("not_a_number");
  const tokens = tokenize(text);
  if (tokens.length === 0) return fail("empty");

  const words = tokens.filter((t) => t.kind === "word");
  const meaningful = words.filter((t) => !FILLERS.has(t.fold) && !ANSWER_LEAD_WORDS.has(t.fold));
  const hasDigits = tokens.some((t) => t.kind === "digits");
  // "năm" alone answers five; in "12 năm" or "năm nay" it means year.
  const opts: ReadOptions = { ...base, allowWeakWords: meaningful.length === 1 && !hasDigits };
  const { items, malformed } = readItems(tokens, opts);
  if (malformed) return fail("not_a_number");

  if (items.length === 0) {
    return findZeroPhrase(words) !== undefined ? { ok: true, value: dec(0n), negative: false } : fail("not_a_number");
  }
  const [first, ...others] = items as [NumberItem, ...NumberItem[]];
  const differs = (item: NumberItem): boolean =>
    compareDec(signed(item), signed(first)) !== 0;
  if (others.some(differs)) return fail("several_numbers");
  return { ok: true, value: first.value, negative: first.negative && first.value.m !== 0n };
}

function signed(item: NumberItem): Dec {
  return item.negative ? dec(-item.value.m, item.value.e) : item.value;
}

/** Common checks for counts and money: a non-negative integer not above MAX_VALUE. */
function toNonNegativeInteger(read: SingleRead): ParseResult {
  if (!read.ok) return read;
  if (read.negative) return fail("negative");
  if (compareDec(read.value, dec(MAX_VALUE)) > 0) return fail("too_large");
  if (!isIntegerDec(read.value)) return fail("not_integer");
  return { ok: true, value: decToNumber(read.value) };
}

/**
 * A non-negative integer count: "3850", "3.850", "3,850", "3 850", "07", "12 buổi", "khoảng 200",
 * "không", "chưa có", "mười hai", "3 nghìn".
 */
export function parseCount(text: string): ParseResult {
  return toNonNegativeInteger(readSingle(text, COUNT_OPTIONS));
}

/**
 * An amount in whole đồng: "15.000.000", "15 triệu", "15tr", "1,5 triệu", "1tr5", "2tr500", "500k",
 * "500 nghìn", "1,2 tỷ", "15.000.000đ", "mười lăm triệu", "không".
 */
export function parseMoney(text: string): ParseResult {
  return toNonNegativeInteger(readSingle(text, MONEY_OPTIONS));
}

/** A percentage from 0 to 100: "66,7%", "66.7 %", "66,7", "100%". Above 100 is "too_large". */
export function parsePercent(text: string): ParseResult {
  const read = readSingle(text, PERCENT_OPTIONS);
  if (!read.ok) return read;
  if (read.negative) return fail("negative");
  if (compareDec(read.value, dec(100n)) > 0) return fail("too_large");
  return { ok: true, value: decToNumber(read.value) };
}

// ---------------------------------------------------------------------------------------------
// Yes / no
// ---------------------------------------------------------------------------------------------

const YES_HEADS: ReadonlySet<string> = new Set([
  "co", "c", "roi", "yes", "y", "yep", "ok", "oke", "okay", "okie", "oki", "dung", "vang", "u", "uh", "um", "uhm",
  "duoc", "xong", "phai",
]);

const NO_HEADS: ReadonlySet<string> = new Set([
  "khong", "ko", "k", "kh", "khg", "hong", "hok", "chua", "chang", "no", "n", "nope", "sai",
]);

/** Words that make an answer a doubt rather than a yes or no ("không biết", "chưa rõ"). */
const DOUBT_WORDS: ReadonlySet<string> = new Set(["biet", "nho", "ro", "chac", "hieu"]);

const YES_EMOJI = /[\u2705\u2714\u2611\u{1F44D}\u{1F44C}\u{1F197}\u{1F646}]/u;
const NO_EMOJI = /[\u274C\u2716\u274E\u{1F44E}\u{1F6AB}\u{1F645}\u26D4]/u;

function emojiAnswer(text: string): boolean | undefined {
  const yes = YES_EMOJI.test(text);
  const no = NO_EMOJI.test(text);
  return yes === no ? undefined : yes;
}

/** Polarity of the words: the first yes or no word decides, a later contrary word makes it a question. */
function wordsAnswer(tokens: readonly Token[]): boolean | undefined {
  const words = tokens.filter((t) => t.kind === "word");
  if (words.some((w) => DOUBT_WORDS.has(w.fold))) return undefined;
  const trimmed = trimFillers(words);
  // "dạ" (polite yes) or "đã" (already done) with no other yes/no word: "dạ", "đã tổ chức".
  const startsWithDa = isWord(words[0], "da");
  const firstNo = trimmed.findIndex((w) => isAnyWord(w, NO_HEADS));
  const firstYes = trimmed.findIndex((w) => isAnyWord(w, YES_HEADS));
  if (firstNo === -1 && firstYes === -1) return startsWithDa ? true : undefined;
  if (firstYes === -1) return false;
  if (firstNo === -1) return true;
  // "không có" is a no; "có không?" asks back.
  return firstNo < firstYes ? false : undefined;
}

/**
 * Yes/no answers: "có", "co", "c", "rồi", "có tổ chức", "ok", "đúng", ✅, 👍 → true;
 * "không", "ko", "k", "chưa", "không có", "không tổ chức", "no", ❌ → false; anything else,
 * including bare numbers like "1" or "0", → undefined.
 */
export function parseYesNo(text: string): boolean | undefined {
  if (text.length > MAX_INPUT_LENGTH) return undefined;
  const tokens = tokenize(text);
  const fromEmoji = emojiAnswer(canonicalChars(text));
  const hasWords = tokens.some((t) => t.kind === "word");
  if (!hasWords) return tokens.some((t) => t.kind === "digits") ? undefined : fromEmoji;
  const fromWords = wordsAnswer(tokens);
  if (fromEmoji === undefined || fromWords === undefined) return fromWords ?? fromEmoji;
  return fromEmoji === fromWords ? fromWords : undefined;
}

// ---------------------------------------------------------------------------------------------
// Several figures in one message
// ---------------------------------------------------------------------------------------------

/** Whether a punctuation token ends a segment: ",", ";", or a sentence-ending "." ("12 buổi. 350 người"). */
function isSeparator(tokens: readonly Token[], index: number): boolean {
  const token = tokens[index];
  if (token === undefined || token.kind !== "punct") return false;
  if (token.raw === "," || token.raw === ";") return true;
  const next = tokens[index + 1];
  return token.raw === "." && (next === undefined || !isGlued(next));
}

/** Splits token indices into segments at separators and line breaks. */
function segmentBounds(tokens: readonly Token[], items: readonly NumberItem[]): Array<[number, number]> {
  const insideItem = new Set<number>();
  for (const item of items) for (let i = item.start; i < item.end; i++) insideItem.add(i);
  const bounds: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined) continue;
    // A line break always separates, even right before a number; items never contain one.
    if (i > start && !isSameLine(token)) {
      bounds.push([start, i]);
      start = i;
    }
    if (!insideItem.has(i) && isSeparator(tokens, i)) {
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
  return foldText(parts.join(" "));
}

function extractFromSegment(tokens: readonly Token[], items: readonly NumberItem[], from: number, to: number): ExtractedNumber[] {
  const inside = items.filter((item) => item.start >= from && item.end <= to);
  if (inside.length === 0) return zeroInSegment(tokens, from, to);
  return inside.map((item, k) => ({
    value: decToNumber(signed(item)),
    before: wordsBetween(tokens, inside[k - 1]?.end ?? from, item.start),
    after: wordsBetween(tokens, item.end, inside[k + 1]?.start ?? to),
  }));
}

/** "tiếp nhận không" or a bare "không" segment is a zero figure. */
function zeroInSegment(tokens: readonly Token[], from: number, to: number): ExtractedNumber[] {
  const words = tokens.slice(from, to).filter((t) => t.kind === "word");
  const at = findZeroPhrase(words);
  if (at === undefined) return [];
  const before = foldText(words.slice(0, at).map((w) => w.fold).join(" "));
  return [{ value: 0, before, after: "" }];
}

/**
 * All figures of a message that answers several fields at once, in order, with the words around
 * each: "12 buoi 3.850 nguoi" → [{12, "", "buoi"}, {3850, "buoi", "nguoi"}].
 * Digits separated by a space are separate figures here ("12 350" → 12 and 350); money multipliers
 * belong to the figure ("thu 15tr" → 15000000). Values are not range-checked: callers validate them.
 */
export function extractNumbers(text: string): ExtractedNumber[] {
  if (text.length > MAX_INPUT_LENGTH) return [];
  const tokens = tokenize(text);
  const { items } = readItems(tokens, EXTRACT_OPTIONS);
  return segmentBounds(tokens, items).flatMap(([from, to]) => extractFromSegment(tokens, items, from, to));
}
