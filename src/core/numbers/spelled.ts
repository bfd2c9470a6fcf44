/**
 * Spelled-out numbers: "mười hai", "hai mươi lăm", "một trăm linh năm", "ba nghìn tám trăm năm mươi", and the
 * abbreviations of speech: "hai trăm mốt" = 210, "ba nghìn tám" = 3.800, "hai triệu rưỡi", "một triệu hai
 * trăm" = 1.200.000 (after triệu and tỷ, a bare hundreds group is hundreds of thousands).
 */
import { pow10 } from "./decimal.js";

export const DIGIT_WORDS: Readonly<Record<string, number>> = {
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

export const SCALE_POW: Readonly<Record<string, number>> = { nghin: 3, ngan: 3, trieu: 6, ty: 9, ti: 9 };

export const NUMBER_WORDS: ReadonlySet<string> = new Set([
  ...Object.keys(DIGIT_WORDS), ...Object.keys(UNIT_AFTER_TENS), ...Object.keys(SCALE_POW),
  "muoi", "chuc", "tram", "linh", "le", "ruoi",
]);

/** Single words that are numbers whatever surrounds them (the spelling is unambiguous). */
export const STRONG_SINGLE_WORDS: ReadonlySet<string> = new Set([
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
function readGroup(c: WordCursor, afterScale: boolean): { value: bigint; hundreds: boolean } | undefined {
  const start = c.pos;
  let value = 0n;
  let hundreds = false;
  let sawHundreds = false;
  const hundredsDigit = DIGIT_WORDS[c.peek() ?? ""];
  if (hundredsDigit !== undefined && c.peek(1) === "tram") {
    value = BigInt(hundredsDigit) * 100n;
    c.pos += 2;
    // "không trăm" spells the hundreds out on purpose: the amount is exact, not abbreviated.
    hundreds = hundredsDigit > 0;
    sawHundreds = true;
    if (c.peek() === "ruoi") {
      c.pos++;
      return { value: value + 50n, hundreds };
    }
    const trailing = TRAILING_DIGIT[c.peek() ?? ""];
    if (trailing !== undefined && isRunEndOrScale(c.peek(1))) {
      c.pos++;
      return { value: value + BigInt(trailing) * 10n, hundreds };
    }
  }
  if ((sawHundreds || afterScale) && (c.peek() === "linh" || c.peek() === "le")) {
    const unit = UNIT_AFTER_LINH[c.peek(1) ?? ""];
    if (unit === undefined) return sawHundreds ? { value, hundreds } : undefined;
    c.pos += 2;
    return { value: value + BigInt(unit), hundreds };
  }
  const tens = readTens(c);
  if (tens !== undefined) return { value: value + tens, hundreds };
  return c.pos > start ? { value, hundreds } : undefined;
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
export function parseSpelledWords(words: readonly string[]): { value: bigint; used: number } | undefined {
  // "trăm rưỡi", "nghìn hai", "triệu rưỡi": a size word first, with its half or its digit, is one of it.
  const lead = words[0];
  if ((lead === "tram" || (lead !== undefined && SCALE_POW[lead] !== undefined)) && (words[1] === "ruoi" || TRAILING_DIGIT[words[1] ?? ""] !== undefined)) {
    const read = parseSpelledWords(["mot", ...words]);
    return read && read.used > 1 ? { value: read.value, used: read.used - 1 } : undefined;
  }
  const c = new WordCursor(words);
  const first = readGroup(c, false);
  if (first === undefined) return undefined;
  let group = first;
  let total = 0n;
  let lastPow = Number.POSITIVE_INFINITY;
  for (;;) {
    const pow = SCALE_POW[c.peek() ?? ""];
    if (pow === undefined) break;
    c.pos++;
    // "một nghìn tỷ": a larger scale after a smaller one multiplies everything before it.
    if (total > 0n && pow > lastPow) total = (total + group.value) * pow10(pow);
    else total += group.value * pow10(pow);
    lastPow = pow;
    group = { value: 0n, hundreds: false };
    const tail = readScaleTail(c, pow);
    if (tail !== undefined) {
      total += tail;
      break;
    }
    group = readGroup(c, true) ?? group;
  }
  // "hai triệu năm trăm": a closing hundreds group after triệu or tỷ is hundreds of thousands.
  if (group.hundreds && lastPow >= 6 && lastPow !== Number.POSITIVE_INFINITY && SCALE_POW[c.peek() ?? ""] === undefined) {
    return { value: total + group.value * pow10(lastPow - 3), used: c.pos };
  }
  return { value: total + group.value, used: c.pos };
}
