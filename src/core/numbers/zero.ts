/**
 * Zero answers said in words, as every region says them: "không", "ko", "k", "hông có", "hổng có", "hok",
 * "hem", "chưa có", "không có gì", "không có ai", "không có buổi nào", "chưa tổ chức", "không phát sinh".
 * "không biết", "chưa rõ" and "chưa có số liệu" are doubts, not zero.
 */
import type { Token } from "./tokens.js";
import { FILLERS, isAnyWord, isDoubtWord, isWord, ZERO_HEADS, ZERO_TAIL, ZERO_VERBS, ZERO_WHOLE_ONLY } from "./vocabulary.js";

/** How many words a field's label covers at index i of the words (0 when none): "không có đơn", "chưa chi". */
export type LabelAt = (words: readonly Token[], i: number) => number;

const noLabel: LabelAt = () => 0;

function verbAt(words: readonly Token[], i: number): number {
  for (const verb of ZERO_VERBS) {
    if (verb.every((w, k) => words[i + k]?.fold === w)) return verb.length;
  }
  return 0;
}

/** Whether the word is a zero head ("không", "ko", "hông"…), spelled so that it cannot be another word. */
export function isZeroHead(token: Token | undefined): boolean {
  return isAnyWord(token, ZERO_HEADS) || (token !== undefined && (token.raw === "hổng" || token.raw === "hông"));
}

/**
 * The end of a zero phrase starting at `from`, or undefined when none starts there. The phrase is the zero
 * word, then "có"/"được", verbs, the words of a field's label, "nào"/"ai"/"gì", closing words; it ends at the
 * first other word. "không biết" and "chưa rõ" are doubts and start nothing.
 */
export function zeroPhraseEnd(words: readonly Token[], from: number, labelAt: LabelAt = noLabel): number | undefined {
  if (!isZeroHead(words[from])) return undefined;
  let i = from + 1;
  if (isWord(words[i], "co") || isWord(words[i], "duoc")) i++;
  if (isDoubtWord(words[i])) return undefined;
  let loose = 0;
  for (;;) {
    const w = words[i];
    if (w === undefined || w.kind !== "word") break;
    const label = labelAt(words, i);
    if (label > 0) {
      i += label;
      continue;
    }
    const verb = verbAt(words, i);
    if (verb > 0) {
      i += verb;
      continue;
    }
    if (ZERO_TAIL.has(w.fold) || FILLERS.has(w.fold)) {
      i++;
      continue;
    }
    // "không có vụ việc nào": up to two words naming what there was none of, before "nào".
    const nao = words.slice(i, i + 3).findIndex((x) => x.fold === "nao");
    if (nao > 0 && loose + nao <= 2) {
      loose += nao;
      i += nao + 1;
      continue;
    }
    break;
  }
  return i;
}

/** Words that make "không có …" a lack of data, not a zero: "chưa có số liệu", "không có thông tin". */
const DATA_WORDS: ReadonlySet<string> = new Set([
  "so", "lieu", "thong", "tin", "ke", "ket", "qua", "bao", "cao", "du", "tong", "hop", "dem", "xac", "dinh", "kiem", "tra", "cap", "nhat",
]);

/** Words starting a clause of reason or purpose after a zero answer: "không tổ chức được do dịch". */
const CLAUSE_WORDS: ReadonlySet<string> = new Set(["do", "vi", "boi", "tai", "nen", "can", "de"]);

/**
 * A zero answer said in a sentence: "không có tranh chấp", "không có mâu thuẫn gì", "chưa có ai nhờ hòa giải",
 * "không tổ chức được do dịch" — the zero word, what there was none of (a few words, not data words), and
 * what follows a reason word or "ai"/"nào"/"gì".
 */
function isZeroSentence(inner: readonly Token[], labelAt: LabelAt): boolean {
  if (!isZeroHead(inner[0])) return false;
  const rest = inner.slice(1).filter((w) => w.kind === "word");
  if (rest.length === 0 || rest.some(isDoubtWord)) return false;
  const end = zeroPhraseEnd(inner, 0, labelAt) ?? 1;
  let i = end;
  let loose = 0;
  while (i < inner.length) {
    const w = inner[i]!;
    if (CLAUSE_WORDS.has(w.fold) && i > 1) return true;
    if (w.fold === "ai" || w.fold === "nao" || w.fold === "gi") return !inner.slice(i).some((t) => DATA_WORDS.has(t.fold));
    if (DATA_WORDS.has(w.fold) || isZeroHead(w)) return false;
    if (++loose > 3) return false;
    i++;
  }
  // "không có tranh chấp": after "có", a few words naming what there was none of.
  return loose > 0 && isWord(inner[1], "co");
}

/**
 * Whether the words (fillers around allowed) are a complete zero answer. `sentences: false` keeps to the
 * zero phrases themselves, for free text where "chưa có kinh phí" is a difficulty, not nothing.
 */
export function isZeroAnswer(words: readonly Token[], labelAt: LabelAt = noLabel, sentences = true): boolean {
  let from = 0;
  let to = words.length;
  while (from < to && FILLERS.has(words[from]!.fold)) from++;
  while (to > from && FILLERS.has(words[to - 1]!.fold)) to--;
  if (to - from === 1 && ZERO_WHOLE_ONLY.has(words[from]!.fold) && (isWord(words[from], words[from]!.fold) || words[from]!.raw === "kg")) {
    return true;
  }
  const inner = words.slice(from, to);
  // The zero word may come after a few words of context: "tháng này chưa có buổi nào hết", "tiếp nhận không".
  for (let k = 0; k < inner.length && k <= 3; k++) {
    if (inner.slice(0, k).some((w) => isZeroHead(w))) break;
    const end = zeroPhraseEnd(inner, k, labelAt);
    if (end === inner.length) return true;
    if (sentences && end !== undefined && isZeroSentence(inner.slice(k), labelAt)) return true;
  }
  return false;
}
