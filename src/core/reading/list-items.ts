// The figures of an answer that gives several at once, as the list reader sees them: digit and spelled
// figures, zero phrases ("không có đơn", "chưa chi"), pairs the person could not decide between ("10 hay
// 12"), without place names and dates ("ấp 3", "tháng 11"). Each item keeps the phrases inside it.
import { alternativeValues, type Figure } from "../numbers/figures.js";
import { compareDec, dec, type Dec } from "../numbers/decimal.js";
import { withoutNames } from "../numbers/names.js";
import { hasDoubt, joinsAlternatives, isHedged, listFigures, segmentBounds } from "../numbers/parse.js";
import type { Token } from "../numbers/tokens.js";
import { FILLERS } from "../numbers/vocabulary.js";
import { isZeroHead, zeroPhraseEnd } from "../numbers/zero.js";
import type { FormWords } from "./form-words.js";
import { hitsIn, phraseAt, type Hit } from "./labels.js";

export interface Item {
  start: number;
  end: number;
  value: Dec;
  /** The figure as read (absent for a zero phrase). */
  figure?: Figure;
  zero: boolean;
  /** "10 hay 12": both values, for the person to choose. */
  choices?: [Dec, Dec];
  hedged: boolean;
  /** Phrases inside the item ("không có đơn" → "đơn"), attached to it whatever their direction. */
  inner: Hit[];
  segment: number;
  /** "3 buổi x 50 người": figures the person computes with, not figures to store as they are. */
  arithmetic?: boolean;
}

export interface ListReading {
  tokens: Token[];
  items: Item[];
  segments: Array<[number, number]>;
  /** The same answer with "3 850" read as one figure, when the separate reading says nothing. */
  grouped?: Item[];
  /** The same answer with "1 triệu 2" read as two figures. */
  split?: Item[];
}

/** Whether a one-word spelled number is a figure here: its unit follows, or a keyword stands before it. */
function keepSingle(tokens: readonly Token[], f: Figure, words: FormWords, alone: boolean): boolean {
  if (alone) return true;
  const next = tokens[f.end];
  if (next?.kind === "digits") return false;
  if (phraseAt(tokens, f.end, words)) return true;
  let i = f.start - 1;
  while (i >= 0 && tokens[i]!.kind === "word" && (FILLERS.has(tokens[i]!.fold) || tokens[i]!.fold === "ca")) i--;
  if (i < 0 || tokens[i]!.kind !== "word") return false;
  const keywordEndsHere = [4, 3, 2, 1].some((n) => {
    const p = i - n + 1 >= 0 ? phraseAt(tokens, i - n + 1, words) : undefined;
    return p !== undefined && p.words.length === n;
  });
  // After the keyword the figure must end its clause: "thành hai, …", "không thành năm".
  const endsClause = next === undefined || next.kind === "punct" || FILLERS.has(next.fold) || next.fold === "va";
  return keywordEndsHere && endsClause;
}

/** The segment each position falls in, for positions in increasing order (one walk over the segments). */
function segmentWalker(segments: ReadonlyArray<[number, number]>): (pos: number) => number {
  let k = 0;
  return (pos) => {
    while (k < segments.length - 1 && pos >= segments[k]![1]) k++;
    return k;
  };
}

/** Zero phrases in the words outside figures: "không tiếp dân", "chưa chi", "không có cuộc giám sát nào". */
function zeroItems(tokens: readonly Token[], figures: readonly Figure[], words: FormWords): Item[] {
  const covered = new Uint8Array(tokens.length);
  for (const f of figures) for (let i = f.start; i < f.end; i++) covered[i] = 1;
  const out: Item[] = [];
  const labelAt = (ws: readonly Token[], i: number) => phraseAt(ws, i, words)?.words.length ?? 0;
  for (let i = 0; i < tokens.length; i++) {
    if (covered[i] || !isZeroHead(tokens[i])) continue;
    // "không thành", "ko thành" are names of a figure, not a zero.
    if (phraseAt(tokens, i, words)) continue;
    // Only words of this stretch (up to the next figure or separator) may belong to the phrase.
    let stop = i + 1;
    while (stop < tokens.length && !covered[stop] && tokens[stop]!.kind === "word") stop++;
    const stretch = tokens.slice(i, stop);
    const end = zeroPhraseEnd(stretch, 0, labelAt);
    // The whole stretch must be the phrase: "chưa thống kê số người" is not a zero.
    if (end === undefined || stretch.slice(end).some((t) => !FILLERS.has(t.fold))) continue;
    const absEnd = stop;
    // "không thành 5", "ko thành 5": a zero word naming the figure that follows is its label.
    if (absEnd < tokens.length && covered[absEnd]) continue;
    // "1 vụ, 1 thành, 1 không": a zero word right after a figure describes it.
    if (i > 0 && covered[i - 1]) continue;
    out.push({ start: i, end: absEnd, value: dec(0n), zero: true, hedged: false, inner: hitsIn(tokens, i + 1, absEnd, words), segment: 0 });
    i = absEnd - 1;
  }
  return out;
}

const ARITHMETIC: ReadonlySet<string> = new Set(["x", "×", "*", "+"]);

/** Two figures separated only by "-" in a run of three or more are a list ("4 - 3 - 1"), not a range. */
function dashOnly(tokens: readonly Token[], a: Figure, b: Figure): boolean {
  const between = tokens.slice(a.end, b.start);
  return between.length === 1 && (between[0]!.raw === "-" || between[0]!.raw === "–");
}

/** "15 triệu (mười lăm triệu đồng)", "350 (ba trăm năm mươi)": the same figure said again in brackets. */
function restatements(tokens: readonly Token[], figures: readonly Figure[]): Set<Figure> {
  const out = new Set<Figure>();
  for (let k = 1; k < figures.length; k++) {
    const prev = figures[k - 1]!;
    const f = figures[k]!;
    const open = tokens.slice(prev.end, f.start).filter((t) => t.kind !== "word" || !/^(la|tuc)$/.test(t.fold));
    if (open.length === 1 && open[0]!.raw === "(" && compareDec(f.value, prev.value) === 0) out.add(f);
  }
  return out;
}

function toItems(tokens: readonly Token[], figures: Figure[], words: FormWords, segments: Array<[number, number]>): Item[] {
  const again = restatements(tokens, figures);
  const digitsOrWords = withoutNames(tokens, figures).filter((f) => !again.has(f));
  const alone = digitsOrWords.length === 1 && tokens.filter((t) => t.kind === "word" && !FILLERS.has(t.fold)).length <= (digitsOrWords[0]!.end - digitsOrWords[0]!.start);
  const kept = digitsOrWords.filter((f) => !f.single || keepSingle(tokens, f, words, alone));
  const items: Item[] = kept.map((f) => ({
    start: f.start, end: f.end, value: f.value, figure: f, zero: false, hedged: isHedged(tokens, f.start, f.end), inner: [], segment: 0,
  }));
  items.push(...zeroItems(tokens, kept, words));
  items.sort((a, b) => a.start - b.start);
  // "10 hay 12 buổi", "khoảng 4, 5 buổi": one item with both values.
  const merged: Item[] = [];
  items.forEach((item, k) => {
    const prev = merged[merged.length - 1];
    const before = items[k - 1];
    const after = items[k + 1];
    const dashed = (a?: Item, b?: Item) => !!a?.figure && !!b?.figure && dashOnly(tokens, a.figure, b.figure);
    const inList = dashed(items[k - 2], before) || dashed(item, after);
    if (prev?.figure && item.figure && !prev.choices && prev === before && !inList && (joinsAlternatives(tokens, prev.figure, item.figure) || approximatePair(tokens, prev.figure, item.figure))) {
      const [a, b] = alternativeValues(prev.figure, item.figure);
      merged[merged.length - 1] = { ...item, start: prev.start, value: b, choices: [a, b], hedged: prev.hedged || item.hedged };
      return;
    }
    if (prev && tokens.slice(prev.end, item.start).some((t) => ARITHMETIC.has(t.fold) && (t.kind === "punct" || t.raw.length <= 4))) {
      prev.arithmetic = true;
      item.arithmetic = true;
    }
    merged.push(item);
  });
  const segmentOf = segmentWalker(segments);
  for (const item of merged) {
    item.segment = segmentOf(item.start);
    const [from, to] = segments[item.segment] ?? [0, tokens.length];
    // "350 người, không nhớ chính xác" in the same clause: read, but confirmed.
    if (hasDoubt(tokens, from, to)) item.hedged = true;
  }
  return merged;
}

/** "khoảng 4, 5 buổi", "tầm 3 4 người": two neighbouring small figures after an approximation are "4 or 5". */
function approximatePair(tokens: readonly Token[], a: Figure, b: Figure): boolean {
  if (!a.bare || a.spelled || b.spelled || Number(b.value.m) - Number(a.value.m) !== 1 || a.value.e !== 0 || b.value.e !== 0) return false;
  const between = tokens.slice(a.end, b.start);
  if (between.some((t) => t.raw !== ",")) return false;
  const lead = tokens[a.start - 1];
  return lead?.kind === "word" && APPROXIMATE.has(lead.fold);
}

const APPROXIMATE: ReadonlySet<string> = new Set(["khoang", "tam", "chung", "do", "co", "uoc"]);

/** Items of an answer, with the alternative readings of grouped digits and of "1 triệu 2". */
export function readList(text: string, words: FormWords): ListReading {
  const { tokens, figures } = listFigures(text, words.lexicon, (t, i) => phraseAt(t, i, words) !== undefined);
  const segments = segmentBounds(tokens, figures);
  const reading: ListReading = { tokens, items: toItems(tokens, figures, words, segments), segments };
  if (figures.some((f) => f.grouped)) {
    const groupedFigures: Figure[] = [];
    for (let k = 0; k < figures.length; k++) {
      const f = figures[k]!;
      const g = f.grouped?.[0];
      if (g) {
        groupedFigures.push(g);
        while (k + 1 < figures.length && figures[k + 1]!.start < g.end) k++;
      } else groupedFigures.push(f);
    }
    reading.grouped = toItems(tokens, groupedFigures, words, segmentBounds(tokens, groupedFigures));
  }
  if (figures.some((f) => f.split)) {
    const splitFigures = figures.flatMap((f) => f.split ?? [f]);
    reading.split = toItems(tokens, splitFigures, words, segmentBounds(tokens, splitFigures));
  }
  return reading;
}
