/**
 * Text normalisation for reading what people type on a phone.
 *
 * Area leaders often type without diacritics ("muoi hai" for "mười hai"), with keyboards that
 * produce fullwidth or non-Latin digits, or with invisible characters pasted from elsewhere.
 * Everything that compares user input with known words goes through these helpers.
 */

/** Zero-width and soft-hyphen characters that copy-paste sneaks into messages; they carry no meaning. */
const INVISIBLE = /[\u00AD\u200B\u2060\uFEFF]/g;

/** Any Unicode decimal digit that is not already ASCII (Arabic-Indic, Devanagari, Thai, ...). */
const NON_ASCII_DIGIT = /(?![0-9])\p{Nd}/gu;

const IS_DECIMAL_DIGIT = /^\p{Nd}$/u;

const digitCache = new Map<string, string>();

/**
 * The value of a Unicode decimal digit.
 * Unicode guarantees decimal digits are encoded in contiguous runs of ten, ordered 0..9, so the
 * value is the distance from the start of the run (modulo 10, as some runs sit back to back).
 */
function asciiDigit(ch: string): string {
  const cached = digitCache.get(ch);
  if (cached !== undefined) return cached;
  const code = ch.codePointAt(0) ?? 0;
  let runStart = code;
  while (IS_DECIMAL_DIGIT.test(String.fromCodePoint(runStart - 1))) runStart--;
  const digit = String((code - runStart) % 10);
  digitCache.set(ch, digit);
  return digit;
}

/** Replaces every Unicode decimal digit by its ASCII counterpart ("١٢" → "12"). */
export function toAsciiDigits(s: string): string {
  return s.replace(NON_ASCII_DIGIT, asciiDigit);
}

/**
 * Lowercased compatibility form with ASCII digits, diacritics kept and whitespace untouched.
 * NFKC turns fullwidth "１２", superscript "²", circled "①" and no-break spaces into plain characters.
 * Diacritics are kept so callers can still tell "sáu" (six) from "sau" (after).
 */
export function canonicalChars(s: string): string {
  return toAsciiDigits(s.normalize("NFKC").replace(INVISIBLE, "")).toLowerCase();
}

const ASCII = /^[\x00-\x7f]*$/;
const foldCache = new Map<string, string>();
const FOLD_CACHE_SIZE = 20_000;

/** Removes Vietnamese (and any other) combining marks; "đ" is a letter of its own, so it is mapped by hand. */
export function stripDiacritics(s: string): string {
  if (ASCII.test(s)) return s;
  const cached = foldCache.get(s);
  if (cached !== undefined) return cached;
  const folded = s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .normalize("NFC");
  // Words repeat (a few thousand Vietnamese syllables); long texts are folded once and not kept.
  if (s.length <= 32) {
    if (foldCache.size >= FOLD_CACHE_SIZE) foldCache.clear();
    foldCache.set(s, folded);
  }
  return folded;
}

/**
 * The form used to match words typed with or without diacritics:
 * lowercase, NFKC, ASCII digits, no diacritics, single spaces, trimmed.
 * foldText("  Mười   HAI ") === "muoi hai"; foldText("Đồng") === "dong"; foldText("１２") === "12".
 */
export function foldText(s: string): string {
  return stripDiacritics(canonicalChars(s)).replace(/\s+/g, " ").trim();
}
