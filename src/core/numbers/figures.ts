/**
 * Candidate figures in a message: every way digits and number words can be read, with what the figure's own
 * words say about it (a money word, a thousands multiplier, a percent sign, nothing at all) and the other
 * values the same characters may mean. Deciding which reading the person meant is the caller's job: a
 * single answer, a list of figures for several fields, a yes/no.
 *
 * "3.850", "3 850", "1,5 triệu", "1tr5", "2tr500", "2 triệu 500 nghìn", "1.500k", "2 trăm", "3 trăm rưỡi",
 * "500 k", "15 củ", "mười hai", "hai trăm mốt".
 */
import { addDec, compareDec, dec, isIntegerDec, shiftDec, type Dec } from "./decimal.js";
import { NUMBER_WORDS, parseSpelledWords, STRONG_SINGLE_WORDS, DIGIT_WORDS } from "./spelled.js";
import { continuesAsNumber, interpretLiteral, readLiteral } from "./literals.js";
import { isGlued, isSameLine, type Token } from "./tokens.js";
import { isAnyWord, isWord } from "./vocabulary.js";

export type FigureKind = "count" | "money" | "percent" | "any";

export interface Figure {
  value: Dec;
  /** Other values the same characters may mean: "1,500 triệu" is 1,5 triệu or 1.500 triệu. */
  alts: Dec[];
  /** Token range [start, end). */
  start: number;
  end: number;
  negative: boolean;
  /** A word only money takes: tr, triệu, củ, tỷ, đ, đồng, VNĐ. */
  money: boolean;
  /** A multiplier or hundreds word (k, nghìn, trăm, chục…): the size was said, not only typed. */
  scaled: boolean;
  percent: boolean;
  /** Typed with nothing that tells its size: no multiplier, currency or percent sign ("20", "20000"). */
  bare: boolean;
  /** Digits before any decimal separator, as typed ("15.000" → 5); 0 for spelled numbers. */
  intDigits: number;
  spelled: boolean;
  /** A spelled number of one word ("hai", "năm"): a figure only where the context says so. */
  single: boolean;
  /** A one-word number that is also an everyday word ("năm" year, "sau" after, "tam" about). */
  weak: boolean;
  /** Power of ten of its multiplier or hundreds word: 0 bare, 2 trăm, 3 nghìn, 6 triệu. */
  pow: number;
  /** "ng"/"n" after the digits: nghìn for money, người for a count; this is the value as a count. */
  asCount?: Dec;
  /** The same tokens as separate figures: "1 triệu 2" may be 1.000.000 and 2 in a list of figures. */
  split?: Figure[];
  /** "3 850" read as one figure; in a list the two groups are separate figures unless that reads nothing. */
  grouped?: Figure[];
}

export interface FigureOptions {
  kind: FigureKind;
  /** "3 850" is one number (single answers); in lists the grouped reading is kept as a fallback. */
  spaceGrouping: boolean;
  /** "1,5" is a decimal, never a thousands group ("83,333" percent). */
  decimalFirst: boolean;
  /** "1e9", "0x10", "12h30", "l2": refused rather than read as numbers. */
  rejectGluedLetters: boolean;
  /** Whether a word at token i names a figure ("k thành"): then a short multiplier there is not one. */
  isLabelAt?: (tokens: readonly Token[], i: number) => boolean;
}

interface Multiplier {
  pow: number;
  /** May be separated from the digits by a space ("15 tr"), or only glued ("3k"). */
  spaced: boolean;
  money: boolean;
  /** "ng", "n": nghìn for money, người for a count. */
  countUnit?: boolean;
}

const FULL_WORD: ReadonlyArray<[string, Multiplier]> = [
  ["nghin", { pow: 3, spaced: true, money: false }],
  ["ngan", { pow: 3, spaced: true, money: false }],
  ["trieu", { pow: 6, spaced: true, money: false }],
  ["ty", { pow: 9, spaced: true, money: false }],
  ["ti", { pow: 9, spaced: true, money: false }],
];

const MONEY_ONLY: ReadonlyArray<[string, Multiplier]> = [
  ["tr", { pow: 6, spaced: true, money: true }],
  ["trd", { pow: 6, spaced: true, money: true }],
  // "15 củ" is everyday slang for 15 triệu; never before "tri" ("454 cu tri" is cử tri).
  ["cu", { pow: 6, spaced: true, money: true }],
];

const MULTIPLIERS: Readonly<Record<FigureKind, ReadonlyMap<string, Multiplier>>> = {
  count: new Map([...FULL_WORD, ["k", { pow: 3, spaced: false, money: false }]]),
  money: new Map([
    ...FULL_WORD,
    ...MONEY_ONLY,
    ["k", { pow: 3, spaced: true, money: false }],
    ["ng", { pow: 3, spaced: true, money: false }],
    ["n", { pow: 3, spaced: true, money: false }],
  ]),
  percent: new Map(),
  any: new Map([
    ...FULL_WORD,
    ...MONEY_ONLY,
    ["k", { pow: 3, spaced: true, money: false }],
    ["ng", { pow: 3, spaced: true, money: false, countUnit: true }],
    ["n", { pow: 3, spaced: false, money: false, countUnit: true }],
  ]),
};

/** Money-only words that make digits unreadable as a count ("1tr" is not a number of people). */
const MONEY_ONLY_WORDS: ReadonlySet<string> = new Set(MONEY_ONLY.map(([w]) => w));

/** Currency after an amount: "15.000.000đ", "15 triệu đồng", "3.000.000 VNĐ". */
const CURRENCY_WORDS: ReadonlySet<string> = new Set(["d", "dong", "vnd"]);

// ---------------------------------------------------------------------------------------------
// Numerals: a literal with its hundreds word, multiplier and tail
// ---------------------------------------------------------------------------------------------

export type NumeralRead =
  | { kind: "figure"; figure: Figure; next: number; /** Power of ten its words give it: 0 bare, 2 trăm, 6 triệu. */ pow: number }
  | { kind: "malformed"; next: number };

function multiplierAt(tokens: readonly Token[], pos: number, opts: FigureOptions): Multiplier | undefined {
  const token = tokens[pos];
  if (token === undefined || token.kind !== "word" || !isSameLine(token)) return undefined;
  const multiplier = MULTIPLIERS[opts.kind].get(token.fold);
  if (multiplier === undefined) return undefined;
  // Short forms are typed without diacritics; full words must be spelled right ("trạm" is not "trăm").
  if (token.fold.length > 3 || token.fold === "ty" || token.fold === "ti" || token.fold === "cu") {
    if (!isWord(token, token.fold)) return undefined;
  } else if (token.raw !== token.fold && token.raw !== "trđ") return undefined;
  if (!multiplier.spaced && !isGlued(token)) return undefined;
  if (token.fold === "cu" && tokens[pos + 1]?.fold === "tri") return undefined;
  // "5 k thành 0": the "k" of "k thành" (không thành), not a thousand.
  if (!isGlued(token) && token.fold.length <= 2 && opts.isLabelAt?.(tokens, pos)) return undefined;
  return multiplier;
}

/** "2 trăm", "3 trăm rưỡi", "1 trăm linh 5", "3 trăm 5" (= 350), "2 chục": hundreds and tens said in words. */
function readHundreds(tokens: readonly Token[], pos: number, base: Dec): { value: Dec; next: number; pow: number } | undefined {
  const word = tokens[pos];
  if (word === undefined || !isSameLine(word)) return undefined;
  if (isWord(word, "chuc")) {
    const value = shiftDec(base, 1);
    if (isWord(tokens[pos + 1], "ruoi")) return { value: addDec(value, dec(5n)), next: pos + 2, pow: 1 };
    return { value, next: pos + 1, pow: 1 };
  }
  if (!isWord(word, "tram")) return undefined;
  const value = shiftDec(base, 2);
  const after = tokens[pos + 1];
  if (isWord(after, "ruoi")) return { value: addDec(value, dec(50n)), next: pos + 2, pow: 2 };
  const unit = tokens[pos + 2];
  if ((isWord(after, "linh") || isWord(after, "le")) && unit?.kind === "digits" && unit.raw.length === 1) {
    return { value: addDec(value, dec(BigInt(unit.raw))), next: pos + 3, pow: 2 };
  }
  if (after?.kind === "digits" && isSameLine(after) && after.raw.length <= 2 && !isGlued(after) && !continuesAsNumber(tokens, pos + 2)) {
    // "3 trăm 5" is 350 (the digit is the tens), "2 trăm 50" is 250.
    const tail = after.raw.length === 1 ? BigInt(after.raw) * 10n : BigInt(after.raw);
    return { value: addDec(value, dec(tail)), next: pos + 2, pow: 2 };
  }
  return { value, next: pos + 1, pow: 2 };
}

/** Letters that stand in for digits on a careless keyboard: "l2" may be 12, "1O" may be 10. */
const LOOKALIKE_LETTERS: ReadonlySet<string> = new Set(["l", "i", "o"]);

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
  return letters?.kind === "word" && isGlued(letters) && digits?.kind === "digits" && isGlued(digits);
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

function plainFigure(tokens: readonly Token[], start: number, end: number, value: Dec, intDigits: number): Figure {
  return {
    value, alts: [], start, end, negative: isNegativeAt(tokens, start), money: false, scaled: false, percent: false,
    bare: true, intDigits, spelled: false, single: false, weak: false, pow: 0,
  };
}

/** Currency and percent words right after a figure ("đ", "đồng", "VNĐ", "%", "phần trăm"). */
function readUnitSuffix(tokens: readonly Token[], pos: number, figure: Figure): number {
  const t = tokens[pos];
  if (t === undefined || !isSameLine(t)) return pos;
  if (t.raw === "%") {
    figure.percent = true;
    figure.bare = false;
    return pos + 1;
  }
  if (t.kind === "word" && t.fold === "phan" && tokens[pos + 1]?.fold === "tram") {
    figure.percent = true;
    figure.bare = false;
    return pos + 2;
  }
  if (t.kind === "word" && CURRENCY_WORDS.has(t.fold)) {
    figure.money = true;
    figure.bare = false;
    return pos + 1;
  }
  return pos;
}

/** A figure read from digits, with its hundreds word, multiplier, tail and unit words. */
export function readNumeral(tokens: readonly Token[], start: number, opts: FigureOptions): NumeralRead {
  const literal = readLiteral(tokens, start, opts.spaceGrouping);
  const read = interpretLiteral(literal, opts.decimalFirst);
  if (read === undefined) return { kind: "malformed", next: literal.next };
  if (opts.rejectGluedLetters && hasLookalikeLetter(tokens, start, literal.next)) return { kind: "malformed", next: literal.next + 1 };

  const intDigits = integerDigits(read.value);
  const figure = plainFigure(tokens, start, literal.next, read.value, intDigits);
  figure.alts = read.alts;
  let pos = literal.next;
  let pow = 0;

  // "100 lẻ 5", "1000 linh 5": a round figure and its units, said with "lẻ".
  const odd = tokens[pos + 1];
  if ((isWord(tokens[pos], "le") || isWord(tokens[pos], "linh")) && odd?.kind === "digits" && odd.raw.length === 1 && read.alts.length === 0 && figure.value.e === 0 && figure.value.m % 100n === 0n && figure.value.m > 0n) {
    figure.value = addDec(figure.value, dec(BigInt(odd.raw)));
    pos += 2;
  }
  const hundreds = readHundreds(tokens, pos, figure.value);
  if (hundreds) {
    figure.value = hundreds.value;
    figure.alts = figure.alts.map((a) => shiftDec(a, hundreds.pow));
    figure.scaled = true;
    figure.bare = false;
    pos = hundreds.next;
    pow = hundreds.pow;
  }
  const multiplier = multiplierAt(tokens, pos, opts);
  if (multiplier === undefined) {
    const next = tokens[pos];
    if (opts.kind === "count" && next?.kind === "word" && MONEY_ONLY_WORDS.has(next.fold) && next.raw === next.fold && next.fold !== "cu") {
      return { kind: "malformed", next: pos + 1 };
    }
    if (opts.rejectGluedLetters && hasGluedLettersThenDigits(tokens, pos)) return { kind: "malformed", next: pos + 2 };
    figure.end = readUnitSuffix(tokens, pos, figure);
    figure.pow = pow;
    return { kind: "figure", figure, next: figure.end, pow };
  }
  // Before a multiplier "1,500" is more likely the decimal comma (1,5 triệu) than thousands; both stay.
  const alt = figure.alts[0];
  if (alt !== undefined && literal.separators.length === 1 && literal.separators[0] === "," && pow === 0) {
    figure.alts = [figure.value];
    figure.value = alt;
  }
  const asCount = multiplier.countUnit && pow === 0 ? figure.value : undefined;
  const scaledValue = shiftDec(figure.value, multiplier.pow);
  const tail = readMultiplierTail(tokens, pos + 1, multiplier.pow, opts, (tokens[pos]?.fold.length ?? 0) > 3);
  const alts = figure.alts.map((a) => addDec(shiftDec(a, multiplier.pow), tail.value));
  figure.value = addDec(scaledValue, tail.value);
  figure.alts = alts;
  figure.money = figure.money || multiplier.money;
  figure.scaled = true;
  figure.bare = false;
  if (asCount && tail.next === pos + 1) figure.asCount = asCount;
  if (tail.split) {
    const whole = plainFigure(tokens, start, pos + 1, scaledValue, intDigits);
    whole.money = figure.money;
    whole.scaled = true;
    whole.bare = false;
    figure.split = [whole, tail.split];
  }
  figure.end = readUnitSuffix(tokens, tail.next, figure);
  figure.pow = multiplier.pow;
  return { kind: "figure", figure, next: figure.end, pow: multiplier.pow };
}

/**
 * What follows a multiplier and belongs to the same amount: "1tr5" / "2tr500" (glued digits are the leading
 * digits of the next unit), "2 triệu rưỡi" (half), "2 triệu 500 nghìn" (a smaller unit), "15 triệu 2 trăm"
 * (hundreds of thousands), and "1 triệu 2" (= 1,2 triệu) — the last also offered as two separate figures.
 */
function readMultiplierTail(
  tokens: readonly Token[],
  pos: number,
  pow: number,
  opts: FigureOptions,
  fullWord: boolean,
): { value: Dec; next: number; split?: Figure } {
  const none = { value: dec(0n), next: pos };
  const token = tokens[pos];
  if (token === undefined || !isSameLine(token)) return none;
  if (token.kind === "digits" && isGlued(token) && !continuesAsNumber(tokens, pos + 1)) {
    return { value: dec(BigInt(token.raw), pow - token.raw.length), next: pos + 1 };
  }
  if (isWord(token, "ruoi")) return { value: dec(5n, pow - 1), next: pos + 1 };
  if (token.kind === "word") return spelledTail(tokens, pos, pow, opts, fullWord) ?? none;
  if (token.kind !== "digits") return none;

  const sub = readNumeral(tokens, pos, { ...opts, spaceGrouping: false });
  if (sub.kind !== "figure") return none;
  const f = sub.figure;
  if (sub.pow > 0 && sub.pow < pow) {
    // "15 triệu 2 trăm": a hundreds group after triệu or tỷ is hundreds of thousands.
    const value = sub.pow === 2 && pow >= 6 && f.end === sub.next ? shiftDec(f.value, pow - 3) : f.value;
    return { value, next: sub.next };
  }
  if (sub.pow === 0 && f.bare && token.raw.length <= 3 && f.end === pos + 1 && !startsNumber(tokens[sub.next])) {
    const fraction = dec(BigInt(token.raw), pow - token.raw.length);
    return { value: fraction, next: sub.next, split: f };
  }
  return none;
}

/**
 * Words after a multiplier that belong to the amount: "1 triệu hai" (1,2 triệu), "2 triệu năm trăm"
 * (2,5 triệu), "1 triệu hai trăm nghìn". Not when the words are a figure of their own ("1 triệu, hai hộ").
 */
function spelledTail(tokens: readonly Token[], pos: number, pow: number, opts: FigureOptions, fullWord: boolean): { value: Dec; next: number } | undefined {
  if (opts.kind === "any" && !fullWord) return undefined;
  const read = readSpelledFigure(tokens, pos);
  if (!read || opts.isLabelAt?.(tokens, read.next)) return undefined;
  const v = read.figure.value;
  if (compareDec(v, dec(10n)) < 0 && read.figure.single) return { value: shiftDec(v, pow - 1), next: read.next };
  if (compareDec(v, dec(1000n)) < 0 && read.figure.scaled && pow >= 6) return { value: shiftDec(v, pow - 3), next: read.next };
  if (compareDec(v, dec(10n ** BigInt(pow))) < 0 && read.figure.scaled) return { value: v, next: read.next };
  return undefined;
}

/** "92 phẩy 5", "chín mươi hai phẩy năm": a decimal said with the word for the comma. */
function readSpokenDecimal(tokens: readonly Token[], f: Figure): void {
  const word = tokens[f.end];
  if (f.pow !== 0 || f.percent || f.money || word?.kind !== "word" || word.fold !== "phay" || (word.raw !== "phay" && word.raw !== "phẩy")) return;
  let digits = "";
  let i = f.end + 1;
  const next = tokens[i];
  if (next?.kind === "digits") {
    digits = next.raw;
    i++;
  } else {
    while (tokens[i]?.kind === "word" && DIGIT_WORDS[tokens[i]!.fold] !== undefined && isAnyWord(tokens[i], NUMBER_WORDS)) {
      digits += String(DIGIT_WORDS[tokens[i]!.fold]);
      i++;
    }
  }
  if (!digits || !isIntegerDec(f.value)) return;
  f.value = addDec(f.value, dec(BigInt(digits), -digits.length));
  f.alts = [];
  f.single = false;
  f.weak = false;
  f.end = readUnitSuffix(tokens, i, f);
}

/** How many digits the integer part of a value has: 15.000 → 5, 1,5 → 1. */
function integerDigits(value: Dec): number {
  const digits = (value.m < 0n ? -value.m : value.m).toString().length;
  return Math.max(1, digits + value.e);
}

function startsNumber(token: Token | undefined): boolean {
  return token !== undefined && token.kind === "digits";
}

// ---------------------------------------------------------------------------------------------
// Spelled numbers
// ---------------------------------------------------------------------------------------------

/** No spelled figure below 10^12 needs more words; the cap keeps long messages linear. */
const MAX_SPELLED_WORDS = 24;

/** Ambiguous one-word numbers: "năm" (year), "sau" (after), "tam" (tầm, about), "bay" (fly), "tu" (from). */
const WEAK_FOLDS: ReadonlySet<string> = new Set(["nam", "sau", "tam", "bay", "tu", "mot", "bon", "chin", "lam", "ba"]);

/** A spelled number starting at `start`, or undefined if none starts there. */
export function readSpelledFigure(tokens: readonly Token[], start: number): { figure: Figure; next: number } | undefined {
  const words: string[] = [];
  for (let i = start; i < tokens.length && words.length < MAX_SPELLED_WORDS; i++) {
    const token = tokens[i];
    if (token === undefined || !isAnyWord(token, NUMBER_WORDS)) break;
    if (i > start && (!isSameLine(token) || isGlued(token))) break;
    words.push(token.fold);
  }
  if (words.length === 0 || words[0] === "khong") return undefined;
  const parsed = parseSpelledWords(words);
  if (parsed === undefined || parsed.used === 0) return undefined;
  const first = tokens[start]!;
  const single = parsed.used === 1;
  // "thứ hai" (Monday) and "một số" (some) are not figures.
  if (single && (isWord(tokens[start - 1], "thu") || isWord(tokens[start + 1], "so"))) return undefined;
  if (single && DIGIT_WORDS[first.fold] === undefined && first.fold !== "muoi") return undefined;
  const weak = single && !STRONG_SINGLE_WORDS.has(first.raw) && WEAK_FOLDS.has(first.fold);
  const end = start + parsed.used;
  const figure: Figure = {
    value: dec(parsed.value), alts: [], start, end, negative: false, money: false,
    scaled: words.slice(0, parsed.used).some((w) => w === "tram" || w === "chuc" || w in { nghin: 1, ngan: 1, trieu: 1, ty: 1, ti: 1 }),
    percent: false, bare: false, intDigits: 0, spelled: true, single, weak, pow: 0,
  };
  figure.bare = !figure.scaled;
  figure.money = words.slice(0, parsed.used).some((w) => w === "trieu" || w === "ty" || w === "ti") && figure.money;
  figure.end = readUnitSuffix(tokens, end, figure);
  return { figure, next: figure.end };
}

// ---------------------------------------------------------------------------------------------
// All figures of a message
// ---------------------------------------------------------------------------------------------

export interface FigureScan {
  figures: Figure[];
  /** Something looked like a number but cannot be read ("1.2.3", "1e9"). */
  malformed: boolean;
}

/** Every figure in the tokens, left to right. Spelled one-word numbers are included, flagged `single`. */
export function scanFigures(tokens: readonly Token[], opts: FigureOptions): FigureScan {
  const figures: Figure[] = [];
  let malformed = false;
  let pos = 0;
  while (pos < tokens.length) {
    const token = tokens[pos]!;
    if (token.kind === "digits") {
      const read = readNumeral(tokens, pos, opts);
      if (read.kind === "figure") {
        if (!opts.spaceGrouping) attachGrouped(tokens, read.figure, opts);
        readSpokenDecimal(tokens, read.figure);
        figures.push(read.figure);
        pos = Math.max(read.figure.end, pos + 1);
        continue;
      } else {
        malformed = true;
        figures.push(...readGroupsSeparately(tokens, pos, read.next));
      }
      pos = Math.max(read.next, pos + 1);
      continue;
    }
    const spelled = token.kind === "word" ? readSpelledFigure(tokens, pos) : undefined;
    if (spelled !== undefined) {
      readSpokenDecimal(tokens, spelled.figure);
      figures.push(spelled.figure);
      pos = spelled.figure.end;
      continue;
    }
    pos++;
  }
  return { figures, malformed };
}

/** In a list, "3 850 người" may be one figure: kept beside the separate reading as a fallback. */
function attachGrouped(tokens: readonly Token[], figure: Figure, opts: FigureOptions): void {
  const t = tokens[figure.start];
  const next = tokens[figure.end];
  if (!figure.bare || figure.end !== figure.start + 1 || t === undefined || next?.kind !== "digits" || next.raw.length !== 3 || next.gap !== " ") return;
  const grouped = readNumeral(tokens, figure.start, { ...opts, spaceGrouping: true });
  if (grouped.kind === "figure" && grouped.next > figure.end + 0 && grouped.figure.intDigits > figure.intDigits) {
    figure.grouped = [grouped.figure];
  }
}

/** An unreadable literal such as a date "06.02.2024" still yields its parts, so nothing vanishes. */
function readGroupsSeparately(tokens: readonly Token[], start: number, end: number): Figure[] {
  const out: Figure[] = [];
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    if (token?.kind === "digits") out.push(plainFigure(tokens, i, i + 1, dec(BigInt(token.raw)), token.raw.length));
  }
  return out;
}

/**
 * The two values of "10 hay 12", "2 hay 3 triệu", "10-15": a bare first figure takes the size of the second
 * ("2 hay 3 triệu" is 2 triệu or 3 triệu).
 */
export function alternativeValues(a: Figure, b: Figure): [Dec, Dec] {
  const first = a.bare && !b.bare && b.pow > 0 && !a.spelled ? shiftDec(a.value, b.pow) : a.value;
  return [first, b.value];
}
