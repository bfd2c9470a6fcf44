// Which figure is which, in an answer that gives several: the words around each figure name its field
// (units follow a figure, keywords precede it), the rest is placed only where nothing else can go. Every
// way the words between two figures can split between them is tried; a reading is kept only when it is
// consistent (one field per figure, kinds that fit, bases present, hard rules kept), and it is certain only
// when no other consistent reading gives other values. Nothing here guesses: an uncertain reading comes
// back as a proposal for the person to confirm.
import type { Field } from "../forms/schema.js";
import type { Token } from "../numbers/tokens.js";
import { NUMBER_WORDS } from "../numbers/spelled.js";
import { APPROXIMATION_WORDS, DOUBT_WORDS, FILLERS, OR_WORDS, RANGE_WORDS, ZERO_HEADS } from "../numbers/vocabulary.js";
import type { FormWords } from "./form-words.js";
import { hitsIn, type Hit } from "./labels.js";
import type { Item } from "./list-items.js";

export interface Placement {
  /** The step's field index each item fills, or -1. */
  field: number[];
  /** Items named only by another question's words ("5 vụ" while asking about sessions). */
  foreign: number[];
  /** Items named by a computed figure's words ("2 vụ đang giải quyết"). */
  derived: number[];
  /** Phrases of this step's fields with no figure ("tiếp nhận 1 vụ, hòa giải thành"). */
  dangling: number[];
  /** True when no other consistent reading exists and no figure was placed by position alone. */
  certain: boolean;
}

interface Label {
  /** AND of the step fields each phrase allows (named, or counted in that unit); ALL when there is none. */
  mask: number;
  /** OR of the step fields named outright. */
  strong: number;
  /** OR of the step fields named. */
  union: number;
  /** OR of the step fields named by words after the figure (its unit). */
  unit: number;
  named: boolean;
  other: boolean;
  derived: boolean;
}

type Side = "before" | "after" | "any";

interface StepIndex {
  fields: readonly Field[];
  bit: Map<string, number>;
  all: number;
  /** For each field index, the bit of the step field it depends on (0 when none in the step). */
  base: number[];
  /** Masks of the phrases met so far. */
  phrases: Map<object, PhraseMasks>;
}

const stepIndexes = new WeakMap<readonly Field[], StepIndex>();

function indexStep(fields: readonly Field[]): StepIndex {
  const cached = stepIndexes.get(fields);
  if (cached) return cached;
  const bit = new Map<string, number>();
  fields.forEach((f, i) => bit.set(f.id, 1 << i));
  const base = fields.map((f) => (f.when ? (bit.get(f.when.field) ?? 0) : 0));
  const index = { fields, bit, all: (1 << fields.length) - 1, base, phrases: new Map() };
  stepIndexes.set(fields, index);
  return index;
}

function maskOf(ids: ReadonlySet<string>, step: StepIndex): { mask: number; other: boolean } {
  let mask = 0;
  let other = false;
  for (const id of ids) {
    const b = step.bit.get(id);
    if (b) mask |= b;
    else other = true;
  }
  return { mask, other };
}

interface Sides {
  mask: number;
  weak: number;
  other: boolean;
  derived: boolean;
}

/** What a phrase names on each side, as masks of the step's fields; worked out once per phrase and step. */
interface PhraseMasks {
  before: Sides | undefined;
  after: Sides | undefined;
  any: Sides | undefined;
}

function phraseMasks(hit: Hit, step: StepIndex): PhraseMasks {
  const cached = step.phrases.get(hit.phrase);
  if (cached) return cached;
  const before = maskOf(hit.phrase.before, step);
  const after = maskOf(hit.phrase.after, step);
  const weak = maskOf(hit.phrase.weak, step).mask;
  const derived = hit.phrase.derived.size > 0;
  const sides = (s: { mask: number; other: boolean }, w: number): Sides | undefined =>
    s.mask === 0 && w === 0 && !s.other && !derived ? undefined : { mask: s.mask, other: s.other, weak: w, derived };
  const masks: PhraseMasks = {
    before: sides(before, 0),
    after: sides(after, weak),
    any: sides({ mask: before.mask | after.mask, other: before.other || after.other }, weak),
  };
  step.phrases.set(hit.phrase, masks);
  return masks;
}

function hitSides(hit: Hit, side: Side, step: StepIndex): Sides | undefined {
  return phraseMasks(hit, step)[side];
}

const EMPTY: Label = { mask: -1, strong: 0, union: 0, unit: 0, named: false, other: false, derived: false };

/** Adds a phrase to a figure's label; `isUnit` when it stands after the figure. */
function addHit(label: Label, hit: Hit, side: Side, step: StepIndex, isUnit: boolean): Label | undefined {
  const s = hitSides(hit, side, step);
  if (!s) return undefined;
  if (s.derived) return { ...label, derived: true };
  if (s.mask === 0 && s.weak === 0) return { ...label, other: true };
  return {
    mask: label.mask & (s.mask | s.weak),
    strong: label.strong | s.mask,
    union: label.union | s.mask,
    unit: isUnit ? label.unit | s.mask : label.unit,
    named: true,
    other: label.other,
    derived: label.derived,
  };
}

function joinLabels(a: Label, b: Label): Label {
  return {
    mask: a.mask & b.mask,
    strong: a.strong | b.strong,
    union: a.union | b.union,
    unit: a.unit | b.unit,
    named: a.named || b.named,
    other: a.other || b.other,
    derived: a.derived || b.derived,
  };
}

/** One way to split the phrases between two figures: the first `s` go with the left one. */
interface GapOption {
  left: Label;
  right: Label;
}

function gapOptions(hits: Hit[], step: StepIndex): GapOption[] {
  const out: GapOption[] = [];
  const seen = new Set<string>();
  for (let s = 0; s <= hits.length; s++) {
    let left: Label | undefined = EMPTY;
    for (let k = 0; k < s && left; k++) left = hits[k]!.colon ? undefined : addHit(left, hits[k]!, "after", step, true);
    let right: Label | undefined = EMPTY;
    for (let k = s; k < hits.length && right; k++) right = addHit(right, hits[k]!, hits[k]!.colon ? "any" : "before", step, false);
    if (!left || !right) continue;
    const key = `${left.mask},${left.strong},${left.unit},${+left.named}${+left.other}${+left.derived}|${right.mask},${right.strong},${right.unit},${+right.named}${+right.other}${+right.derived}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ left, right });
  }
  return out;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

function lowestBit(x: number): number {
  return x & -x;
}

function bitIndex(b: number): number {
  return 31 - Math.clz32(b);
}

/** The fields a figure may fill by its kind: money words only for money, a percent sign only for a percentage. */
function kindMask(item: Item, step: StepIndex): number {
  let mask = 0;
  step.fields.forEach((f, i) => {
    const fig = item.figure;
    const numeric = f.kind === "count" || f.kind === "money" || f.kind === "percentage";
    if (!numeric) return;
    if (item.zero || !fig) {
      mask |= 1 << i;
      return;
    }
    if (fig.percent && f.kind !== "percentage") return;
    if (fig.money && f.kind !== "money") return;
    mask |= 1 << i;
  });
  return mask;
}

export interface Candidate {
  placement: Placement;
  /** Conflicts settled by a field's dependency ("xử lý 2 đơn" is the processed ones): a weaker reading. */
  penalty: number;
}

interface Runs {
  leading: Hit[][];
  trailing: Hit[][];
  gaps: Array<Hit[] | undefined>;
  /** Phrases in segments with no figure. */
  orphan: Hit[];
  /** Items with words next to them the form does not know ("tn 4", "1 vụ chuyển lên xã"): named, but not
   * by anything the reader can place, so they are never placed by position or elimination alone. */
  unknown: boolean[];
}

/** Whether a word outside the form's phrases means something to the reader (a filler, a number word…). */
function isKnownWord(t: Token, words: FormWords): boolean {
  return t.kind !== "word" || words.lexicon.byFold.has(t.fold) || KNOWN_FOLDS.has(t.fold);
}

function hasUnknown(tokens: readonly Token[], from: number, to: number, hits: readonly Hit[], words: FormWords): boolean {
  for (let i = from; i < to; i++) {
    if (hits.some((h) => i >= h.start && i < h.end)) continue;
    if (!isKnownWord(tokens[i]!, words)) return true;
  }
  return false;
}

function runsOf(tokens: readonly Token[], items: readonly Item[], segments: ReadonlyArray<[number, number]>, words: FormWords): Runs {
  const leading: Hit[][] = items.map(() => []);
  const trailing: Hit[][] = items.map(() => []);
  const gaps: Array<Hit[] | undefined> = [];
  const orphan: Hit[] = [];
  const unknown = items.map(() => false);
  // Items in text order, grouped by segment in one pass.
  const bySegment: Array<Array<readonly [Item, number]>> = segments.map(() => []);
  items.forEach((it, i) => bySegment[it.segment]?.push([it, i] as const));
  segments.forEach(([from, to], k) => {
    const inSeg = bySegment[k]!;
    if (inSeg.length === 0) {
      orphan.push(...hitsIn(tokens, from, to, words));
      return;
    }
    const [first, firstIndex] = inSeg[0]!;
    const [last, lastIndex] = inSeg[inSeg.length - 1]!;
    leading[firstIndex] = hitsIn(tokens, from, first.start, words);
    if (hasUnknown(tokens, from, first.start, leading[firstIndex]!, words)) unknown[firstIndex] = true;
    // "12 buổi nhưng chưa đếm số người": words after "nhưng" are another clause, not the figure's unit.
    let end = last.end;
    while (end < to && !CLAUSE_BREAKS.has(tokens[end]!.fold)) end++;
    trailing[lastIndex] = hitsIn(tokens, last.end, end, words);
    if (hasUnknown(tokens, last.end, end, trailing[lastIndex]!, words)) unknown[lastIndex] = true;
    if (end < to) orphan.push(...hitsIn(tokens, end, to, words));
  });
  for (let i = 0; i + 1 < items.length; i++) {
    const a = items[i]!;
    const b = items[i + 1]!;
    if (a.segment !== b.segment) {
      gaps.push(undefined);
      continue;
    }
    const hits = hitsIn(tokens, a.end, b.start, words);
    gaps.push(hits);
    if (hasUnknown(tokens, a.end, b.start, hits, words)) unknown[i] = unknown[i + 1] = true;
  }
  return { leading, trailing, gaps, orphan, unknown };
}

const CLAUSE_BREAKS: ReadonlySet<string> = new Set(["nhung", "ma"]);

/** Words the reader knows without the form: courtesy, approximations, zero and doubt words, joiners. */
const KNOWN_FOLDS: ReadonlySet<string> = new Set([
  ...FILLERS, ...APPROXIMATION_WORDS, ...ZERO_HEADS, ...DOUBT_WORDS, ...OR_WORDS, ...RANGE_WORDS, ...NUMBER_WORDS,
  "va", "voi", "la", "thi", "ma", "nhung", "con", "cua", "cho", "o", "tai", "ve", "duoc", "co", "ca", "het", "roi", "thoi",
  "hinh", "nhu", "le", "chac", "gi", "do", "nao", "ai", "moi", "tong", "cong", "so", "luong", "chi", "dat", "gom",
]);

/** No answer needs more combinations; beyond, only the natural split of each gap is tried. */
const MAX_COMBINATIONS = 512;

/**
 * Every consistent placement of the items into the step's fields, with how natural each is. Callers pick
 * the reading (see `chooseReading`).
 */
export function placements(
  tokens: readonly Token[],
  items: readonly Item[],
  segments: ReadonlyArray<[number, number]>,
  fields: readonly Field[],
  words: FormWords,
): Candidate[] {
  const step = indexStep(fields);
  const runs = runsOf(tokens, items, segments, words);
  const fixed: Label[] = [];
  for (let i = 0; i < items.length; i++) {
    let label: Label | undefined = EMPTY;
    for (const h of runs.leading[i]!) label = label && addHit(label, h, "any", step, false);
    for (const h of [...runs.trailing[i]!, ...items[i]!.inner]) label = label && addHit(label, h, "any", step, true);
    if (!label) return [];
    fixed.push(label);
  }
  const options = runs.gaps.map((g) => (g === undefined ? [{ left: EMPTY, right: EMPTY }] : gapOptions(g, step)));
  if (options.some((o) => o.length === 0)) return [];
  let total = 1;
  for (const o of options) total *= o.length;
  const trimmed = total > MAX_COMBINATIONS ? options.map((o) => [o[Math.min(1, o.length - 1)]!]) : options;
  const dangling = danglingFields(runs.orphan, step);

  const out: Candidate[] = [];
  const choice = new Array<number>(trimmed.length).fill(0);
  for (;;) {
    const labels = fixed.map((l, i) => {
      let label = l;
      if (i > 0) label = joinLabels(label, trimmed[i - 1]![choice[i - 1]!]!.right);
      if (i < trimmed.length) label = joinLabels(label, trimmed[i]![choice[i]!]!.left);
      return label;
    });
    const placed = place(items, labels, step, runs.unknown);
    if (placed) out.push({ placement: { ...placed.placement, dangling }, penalty: placed.penalty });
    // Next combination.
    let k = 0;
    while (k < choice.length) {
      choice[k]!++;
      if (choice[k]! < trimmed[k]!.length) break;
      choice[k] = 0;
      k++;
    }
    if (k === choice.length) break;
  }
  return out;
}

function danglingFields(orphan: Hit[], step: StepIndex): number[] {
  const out = new Set<number>();
  for (const h of orphan) {
    const s = hitSides(h, "any", step);
    if (s && s.mask && popcount(s.mask) === 1) out.add(bitIndex(s.mask));
  }
  return [...out];
}

/** Places items given their labels, or undefined when they cannot all be placed consistently. */
function place(items: readonly Item[], labels: readonly Label[], step: StepIndex, unknown: readonly boolean[]): Candidate | undefined {
  const n = items.length;
  const field = new Array<number>(n).fill(-1);
  const foreign: number[] = [];
  const derived: number[] = [];
  const masks = new Array<number>(n).fill(0);
  const preferred = new Array<number>(n).fill(0);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l.derived) {
      derived.push(i);
      continue;
    }
    if (!l.named) {
      if (l.other) {
        foreign.push(i);
        continue;
      }
      masks[i] = step.all;
    } else {
      let mask = l.mask & step.all;
      if (mask === 0) {
        // "tặng quà 4 hộ": the keyword names the money given, the unit after the figure what it counts. Only
        // between a money and a count field; two counts named apart ("không thành 5 thành") conflict.
        const byUnit = l.unit & kindMask(items[i]!, step);
        const kinds = new Set(step.fields.filter((_, fi) => l.union & (1 << fi)).map((f) => f.kind));
        if (popcount(byUnit) !== 1 || kinds.size < 2) return undefined;
        mask = byUnit;
        penalty += 2;
      }
      masks[i] = mask;
      preferred[i] = mask & l.strong;
    }
    masks[i]! &= kindMask(items[i]!, step);
    if (masks[i] === 0) return undefined;
  }
  let used = 0;
  /** Items with unknown words next to them, placed by elimination or position rather than by their name. */
  const leftover: number[] = [];
  const assign = (i: number, b: number) => {
    field[i] = bitIndex(b);
    used |= b;
    if (unknown[i] && popcount(masks[i]!) > 1 && popcount(preferred[i]!) !== 1) leftover.push(i);
  };
  const open = () => field.map((_, i) => i).filter((i) => field[i] === -1 && !foreign.includes(i) && !derived.includes(i));
  // Fixed and eliminated figures, and bases a placed figure needs ("thành 10" needs its "15 vụ").
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of open()) {
      const m = masks[i]! & ~used;
      if (m === 0) return undefined;
      if (popcount(m) === 1) {
        assign(i, m);
        changed = true;
      }
    }
    if (changed) continue;
    // "3 đơn": the word names the petitions received, though processed ones are counted in đơn too.
    for (const i of open()) {
      const p = preferred[i]! & ~used;
      if (popcount(p) === 1 && popcount(preferred[i]!) === 1) {
        assign(i, p);
        changed = true;
        break;
      }
    }
    if (changed) continue;
    for (let fi = 0; fi < step.fields.length; fi++) {
      const baseBit = step.base[fi]!;
      if (!(used & (1 << fi)) || !baseBit || used & baseBit) continue;
      const can = open().filter((i) => masks[i]! & baseBit);
      if (can.length === 1) {
        assign(can[0]!, baseBit);
        changed = true;
      }
    }
  }
  const rest = open();
  let certain = true;
  if (rest.length > 0) {
    // Placed by position: in the question's order, which is certain only when every field is answered and
    // the figures come in that order.
    const placedCount = n - foreign.length - derived.length;
    for (const i of rest) {
      const m = masks[i]! & ~used;
      if (m === 0) return undefined;
      assign(i, lowestBit(m));
    }
    const order = field.filter((f) => f >= 0);
    const monotone = order.every((f, k) => k === 0 || f > order[k - 1]!);
    certain = placedCount === step.fields.length && monotone;
  }
  // "2 vụ tranh chấp đất, thành 1": a figure with words of its own may take the base the others need; a
  // field merely left over ("1 vụ chuyển lên xã") is a guess.
  const needed = (fi: number) => field.some((g) => g >= 0 && step.base[g] === 1 << fi);
  const guessed = leftover.some((i) => !needed(field[i]!));
  return { placement: { field, foreign, derived, dangling: [], certain: certain && !guessed }, penalty };
}
