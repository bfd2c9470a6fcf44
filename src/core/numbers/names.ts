/**
 * Digits that are not figures: names and dates. "ấp 3", "tổ 5", "tháng 11", "năm 2026", "thứ 2", "ngày
 * 5/11 và 12/11", "12/11/2026". "8/10 vụ" is a figure of figures, not a date.
 */
import type { Figure } from "./figures.js";
import type { Token } from "./tokens.js";

/** Words before digits that make them a name or a date, not a figure: "ấp 3", "tổ 5", "tháng 11", "năm 2026". */
const NAME_WORDS: ReadonlySet<string> = new Set(["ap", "to", "khu", "thon", "xom", "khom", "pho", "doi", "so", "thang", "quy", "ngay", "nam"]);

function isName(tokens: readonly Token[], f: Figure): boolean {
  if (f.spelled || !f.bare) return false;
  const before = tokens[f.start - 1];
  // "thứ 2" (Monday), "lần thứ 3": an ordinal, not a figure (only spelled "thứ": "thu 500000" is collected).
  if (before?.raw === "thứ") return true;
  if (before?.kind !== "word" || !NAME_WORDS.has(before.fold)) return false;
  const v = Number(f.value.m) * 10 ** f.value.e;
  switch (before.fold) {
    case "thang":
      return v >= 1 && v <= 12;
    case "quy":
      return v >= 1 && v <= 4;
    case "ngay":
      return v >= 1 && v <= 31;
    case "nam":
      return v >= 1900 && v <= 2100;
    case "so":
      // "số 2" is a choice by number; in a list of figures it names nothing.
      return false;
    default:
      return v < 1000;
  }
}

/** "ngày 5/11 và 12/11", "12/11/2026": dates, not figures; "8/10 vụ" is a figure of figures. */
function dateFigures(tokens: readonly Token[], figures: readonly Figure[]): Set<Figure> {
  const out = new Set<Figure>();
  let previousDateEnd = -10;
  for (let k = 0; k + 1 < figures.length; k++) {
    const d = figures[k]!;
    const mo = figures[k + 1]!;
    const slash = tokens[d.end];
    if (slash?.raw !== "/" || !isGluedAt(tokens, d.end) || mo.start !== d.end + 1 || !isGluedAt(tokens, mo.start)) continue;
    const day = Number(d.value.m);
    const month = Number(mo.value.m);
    if (!d.bare || !mo.bare || day < 1 || day > 31 || month < 1 || month > 12) continue;
    const before = tokens[d.start - 1];
    const year = figures[k + 2];
    const withYear = year !== undefined && tokens[mo.end]?.raw === "/" && year.start === mo.end + 1 && year.intDigits === 4;
    const afterDate = d.start - previousDateEnd <= 3;
    if (before?.fold === "ngay" || before?.fold === "hom" || withYear || afterDate) {
      out.add(d).add(mo);
      if (withYear) out.add(year!);
      previousDateEnd = withYear ? year!.end : mo.end;
    }
  }
  return out;
}

const isGluedAt = (tokens: readonly Token[], i: number) => tokens[i]?.gap === "";

/** The figures that are figures: without names and dates. */
export function withoutNames(tokens: readonly Token[], figures: readonly Figure[]): Figure[] {
  const dates = dateFigures(tokens, figures);
  return figures.filter((f) => !isName(tokens, f) && !dates.has(f));
}
