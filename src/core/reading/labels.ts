// Finding the form's phrases in the words around figures: at each word the longest phrase that matches,
// never overlapping, never across a line break.
import { isSameLine, type Token } from "../numbers/tokens.js";
import type { FormWords, Phrase } from "./form-words.js";

export interface Hit {
  /** Token range [start, end). */
  start: number;
  end: number;
  phrase: Phrase;
  /** "Người: 150": a label followed by a colon names the figure after it, whatever the phrase. */
  colon: boolean;
}

/** The phrase starting at token i, if any (words only, consecutive, on one line). */
export function phraseAt(tokens: readonly Token[], i: number, words: FormWords): Phrase | undefined {
  const first = tokens[i];
  if (first?.kind !== "word") return undefined;
  const candidates = words.byFirstWord.get(first.fold);
  if (!candidates) return undefined;
  for (const phrase of candidates) {
    let ok = true;
    for (let k = 1; k < phrase.words.length; k++) {
      const t = tokens[i + k];
      if (t?.kind !== "word" || t.fold !== phrase.words[k] || !isSameLine(t)) {
        ok = false;
        break;
      }
    }
    if (ok) return phrase;
  }
  return undefined;
}

/** Every phrase in tokens [from, to), left to right. */
export function hitsIn(tokens: readonly Token[], from: number, to: number, words: FormWords): Hit[] {
  const hits: Hit[] = [];
  for (let i = from; i < to; i++) {
    const phrase = phraseAt(tokens, i, words);
    if (phrase && i + phrase.words.length <= to) {
      hits.push({ start: i, end: i + phrase.words.length, phrase, colon: tokens[i + phrase.words.length]?.raw === ":" });
      i += phrase.words.length - 1;
    }
  }
  return hits;
}
