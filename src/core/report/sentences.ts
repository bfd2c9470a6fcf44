// What a leader typed, punctuated the way a report prints it: each line a sentence that starts with a capital
// and ends with a full stop, and list items that end with ";" (the last with "."). Only the first letter is
// touched: the rest of the words (names, "UBND", figures) stay as typed.

/** Trailing marks replaced by the list's own ";" or ".". */
const TRAILING = /[\s.,;:!?…]+$/u;
/** A bullet or dash someone typed at the start of a line. */
const LEADING = /^[\s\-–—•*+·]+/u;
const ENDS_SENTENCE = /[.!?…]$/u;

/**
 * The first letter in upper case ("thiếu kinh phí" → "Thiếu kinh phí", "“đèn” hỏng" → "“Đèn” hỏng"); text that
 * starts with a figure ("12 hộ …") or has no letter stays as it is.
 */
export function upperFirst(text: string): string {
  const i = text.search(/[\p{L}\p{N}]/u);
  if (i < 0) return text;
  const ch = String.fromCodePoint(text.codePointAt(i)!);
  if (!/\p{L}/u.test(ch)) return text;
  return text.slice(0, i) + ch.toLocaleUpperCase("vi") + text.slice(i + ch.length);
}

/** The non-empty lines of a typed text, without typed bullets, with spaces collapsed. */
function lines(text: string): string[] {
  return text
    .split(/\r\n?|\n|\u2028|\u2029/)
    .map((l) => l.replace(LEADING, "").replace(/\s+/g, " ").trim())
    .filter((l) => /[\p{L}\p{N}]/u.test(l));
}

/** Free text as sentences: "thiếu kinh phí\nthiếu người" → "Thiếu kinh phí. Thiếu người." Empty when nothing is left. */
export function asSentences(text: string): string {
  return lines(text)
    .map((l) => {
      const s = upperFirst(l.replace(/[\s,;:]+$/u, ""));
      return ENDS_SENTENCE.test(s) ? s : `${s}.`;
    })
    .join(" ");
}

/**
 * List items as a report prints them: each ends with ";" and the last with "." ("- Ấp Bến Đò: Thiếu kinh phí;").
 * Items are already sentences or labels; their own closing marks give way to the list's.
 */
export function asListItems(items: readonly string[]): string[] {
  const kept = items.map((i) => i.replace(TRAILING, "")).filter((i) => i !== "");
  return kept.map((i, n) => `${upperFirst(i)}${n === kept.length - 1 ? "." : ";"}`);
}
