/**
 * The tokenizer every reader shares: text → digits, words and punctuation, each with the whitespace before
 * it (so "1tr5" is told from "1 tr 5"), its lowercase form with diacritics kept and its folded form.
 * Words a Vietnamese keyboard method left unconverted ("trieuj", "ngu7o72i") are repaired into the known
 * word they stand for, so the rest of the reader never sees keyboard leftovers.
 */
import { repairTelex, repairVni, type Lexicon } from "./lexicon.js";
import { canonicalChars, stripDiacritics } from "./normalize.js";

export type TokenKind = "digits" | "word" | "punct";

export interface Token {
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

/** Telegram caps messages at 4096 characters; anything far longer is not an answer to read. */
export const MAX_INPUT_LENGTH = 20_000;

export const isGlued = (token: Token): boolean => token.gap === "";
export const isSameLine = (token: Token): boolean => !/[\n\r\u2028\u2029]/.test(token.gap);

function word(raw: string, gap: string): Token {
  return { kind: "word", raw, fold: stripDiacritics(raw), gap };
}

/** Splits text into tokens, repairing keyboard leftovers against `lexicon`. */
export function tokenize(text: string, lexicon?: Lexicon): Token[] {
  const prepared = canonicalChars(text).replace(MARKUP_TAG, " ");
  const tokens: Token[] = [];
  // exec on the one pattern, rather than matchAll (which copies the pattern and wraps each match): every
  // answer is tokenized several times.
  TOKEN_PATTERN.lastIndex = 0;
  for (let match = TOKEN_PATTERN.exec(prepared); match !== null; match = TOKEN_PATTERN.exec(prepared)) {
    const [, gap = "", digits, letters, other] = match;
    if (digits !== undefined) tokens.push({ kind: "digits", raw: digits, fold: digits, gap });
    else if (letters !== undefined) tokens.push(word(letters, gap));
    else if (other !== undefined) tokens.push({ kind: "punct", raw: other, fold: other, gap });
  }
  return lexicon ? repair(tokens, lexicon) : tokens;
}

interface VniRun {
  start: number;
  end: number;
  text: string;
  /** Digits between letters ("ngu7o72i"), not only at the end ("vu5"). */
  interior: boolean;
  trailingDigits: number;
}

/** Letters glued to small digit groups, starting with a word that is not itself glued after digits. */
function vniRunAt(tokens: readonly Token[], i: number): VniRun | undefined {
  const first = tokens[i];
  const before = tokens[i - 1];
  if (first?.kind !== "word" || !/^[a-z]+$/.test(first.raw)) return undefined;
  if (before !== undefined && isGlued(first) && before.kind === "digits") return undefined;
  let text = first.raw;
  let j = i + 1;
  let interior = false;
  let trailingDigits = 0;
  for (;;) {
    const digits = tokens[j];
    if (digits?.kind !== "digits" || !isGlued(digits) || !/^[1-9]{1,3}$/.test(digits.raw)) break;
    const next = tokens[j + 1];
    if (next?.kind === "word" && isGlued(next) && /^[a-z]+$/.test(next.raw)) {
      text += digits.raw + next.raw;
      interior = true;
      trailingDigits = 0;
      j += 2;
      continue;
    }
    // Digits glued to a following punctuation mark ("vu5." is fine, "vu5,5" is a number).
    if (next !== undefined && isGlued(next) && next.kind !== "punct") break;
    if (next !== undefined && isGlued(next) && (next.raw === "." || next.raw === ",") && tokens[j + 2]?.kind === "digits") break;
    text += digits.raw;
    trailingDigits = digits.raw.length;
    j += 1;
    break;
  }
  return j > i + 1 ? { start: i, end: j, text, interior, trailingDigits } : undefined;
}

/** "bu0i", "ngu0i": a zero typed for the letter o inside a word, when the word then is one the reader knows. */
function zeroForO(tokens: Token[], lexicon: Lexicon): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const [a, zero, b] = [tokens[i]!, tokens[i + 1], tokens[i + 2]];
    if (a.kind === "word" && zero?.kind === "digits" && /^0+$/.test(zero.raw) && isGlued(zero) && b?.kind === "word" && isGlued(b)) {
      const joined = `${a.fold}${"o".repeat(zero.raw.length)}${b.fold}`;
      const known = lexicon.byFold.get(joined)?.[0]?.word;
      if (known) {
        out.push(word(known, a.gap));
        i += 2;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

function repair(input: Token[], lexicon: Lexicon): Token[] {
  const tokens = input.some((t) => t.raw.includes("0")) ? zeroForO(input, lexicon) : input;
  // VNI: digits between letters are marks for sure; digits only at the end of a word ("vu5") are marks when
  // the message shows VNI typing elsewhere or they hold a letter mark (6–9) as well as a tone ("ho65").
  const runs: Array<{ run: VniRun; word: string }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const run = vniRunAt(tokens, i);
    if (!run) continue;
    const known = repairVni(run.text, lexicon);
    if (known) runs.push({ run, word: known });
    i = run.end - 1;
  }
  const vniTyping = runs.some((r) => r.run.interior);
  const accepted = runs.filter(({ run }) => run.interior || vniTyping || (run.trailingDigits >= 2 && /[6-9]/.test(run.text)));
  let out = tokens;
  if (accepted.length > 0) {
    out = [];
    let k = 0;
    for (const { run, word: known } of accepted) {
      while (k < run.start) out.push(tokens[k++]!);
      out.push(word(known, tokens[run.start]!.gap));
      k = run.end;
    }
    while (k < tokens.length) out.push(tokens[k++]!);
  }
  // Telex: tone keys and doubled vowels left in plain ASCII words.
  return out.map((t) => {
    if (t.kind !== "word" || !/^[a-z]+$/.test(t.raw)) return t;
    const known = repairTelex(t.raw, lexicon);
    return known ? word(known, t.gap) : t;
  });
}
