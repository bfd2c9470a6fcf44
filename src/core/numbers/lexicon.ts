/**
 * Known words, correctly spelled, for repairing keyboard leftovers: a word typed in Telex or VNI is
 * replaced by the known word it decodes to. Number words and other "strict" words (where a tone changes the
 * meaning: ba/bà, trăm/tràm, tỷ/tý) must decode with the same tone and no foreign mark; other words
 * (units, keywords) match on their letters.
 */
import { compatible, fromTelex, fromVni, marksOf, type MarkedWord } from "./keyboard.js";
import { stripDiacritics } from "./normalize.js";

interface Entry {
  word: string;
  marks: MarkedWord;
  strict: boolean;
}

export interface Lexicon {
  /** Folded form → the known words that fold to it. */
  readonly byFold: ReadonlyMap<string, readonly Entry[]>;
  /** Every known spelling, lowercase NFC. */
  readonly words: ReadonlySet<string>;
  /** Words already looked up for Telex leftovers (the answer repeats across messages). */
  readonly telexSeen: Map<string, string | null>;
}

/** A lexicon of `strict` words and ordinary ones; words are lowercased and may contain spaces (split). */
export function makeLexicon(strict: Iterable<string>, ordinary: Iterable<string>, base?: Lexicon): Lexicon {
  const byFold = new Map<string, Entry[]>();
  const words = new Set<string>();
  if (base) {
    for (const [fold, entries] of base.byFold) byFold.set(fold, [...entries]);
    for (const w of base.words) words.add(w);
  }
  const add = (raw: string, isStrict: boolean) => {
    for (const part of raw.normalize("NFC").toLowerCase().split(/[^\p{L}\p{M}]+/u)) {
      if (!part || words.has(part)) continue;
      words.add(part);
      const fold = stripDiacritics(part);
      const list = byFold.get(fold) ?? [];
      list.push({ word: part, marks: marksOf(part), strict: isStrict });
      byFold.set(fold, list);
    }
  };
  for (const w of strict) add(w, true);
  for (const w of ordinary) add(w, false);
  return { byFold, words, telexSeen: new Map() };
}

function match(decoded: MarkedWord | undefined, lexicon: Lexicon): string | undefined {
  if (!decoded) return undefined;
  const entries = lexicon.byFold.get(decoded.letters);
  if (!entries) return undefined;
  const exact = entries.find((e) => compatible(decoded, e.marks));
  if (exact) return exact.word;
  // Units and keywords are matched on their letters: "nguoiw" is người even without its tone.
  if (entries.some((e) => e.strict)) return undefined;
  return entries[0]?.word;
}

/** "nguoii", "buoii": a letter struck twice at the end of a word the reader knows (not a strict word). */
function doubledEnd(word: string, lexicon: Lexicon): string | undefined {
  if (word.length < 4 || word[word.length - 1] !== word[word.length - 2]) return undefined;
  const entries = lexicon.byFold.get(word.slice(0, -1));
  return entries && !entries.some((e) => e.strict) ? entries[0]!.word : undefined;
}

/** The known word a Telex-typed word stands for ("trieuj" → "triệu"), if any. */
export function repairTelex(word: string, lexicon: Lexicon): string | undefined {
  const seen = lexicon.telexSeen.get(word);
  if (seen !== undefined) return seen ?? undefined;
  const found = lexicon.words.has(word) || lexicon.byFold.has(word) ? undefined : (match(fromTelex(word), lexicon) ?? doubledEnd(word, lexicon));
  if (lexicon.telexSeen.size > 50_000) lexicon.telexSeen.clear();
  if (word.length <= 24) lexicon.telexSeen.set(word, found ?? null);
  return found;
}

/** The known word a VNI-typed run stands for ("ngu7o72i" → "người"), if any. */
export function repairVni(run: string, lexicon: Lexicon): string | undefined {
  return match(fromVni(run), lexicon);
}
