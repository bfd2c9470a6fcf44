/**
 * The words people type for periods, and the tokenizer the period reader (`readPeriod` in periods.ts) walks.
 *
 * Staff type on phones, often without the Vietnamese keyboard: "thg 10", "T10/26", "quí 3", "quy III",
 * "thang muoi mot", "6 thang dau nam nay". Each token keeps its spelling as typed (lower case) and a folded
 * form without diacritics, so the grammar matches folded words while the few words that differ only by their
 * marks ("sau" next / "sáu" six) can still be told apart. Pure data and functions, no imports.
 */

export interface PeriodToken {
  kind: "word" | "num" | "sep";
  /** As typed, lower case, NFC. */
  raw: string;
  /** Without diacritics ("đ" → "d"). */
  fold: string;
}

/** Lower case without diacritics: "Tháng Chạp" → "thang chap". */
export function foldPeriodText(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
}

/**
 * Words, digit runs and the separators "/", "-", "." that join a period to its year. A letter run touching
 * digits is split from them ("t10" → "t", "10"; "6t" → "6", "t"); everything else (spaces, commas, brackets,
 * a closing "?") only separates. Separators at either end carry nothing and are dropped.
 */
export function tokenizePeriod(text: string): PeriodToken[] {
  const out: PeriodToken[] = [];
  const lower = text.normalize("NFC").toLowerCase();
  for (const m of lower.matchAll(/\p{L}+|\d+|[/.\-–]/gu)) {
    const raw = m[0] === "–" ? "-" : m[0];
    const kind = /^\d/.test(raw) ? "num" : /^\p{L}/u.test(raw) ? "word" : "sep";
    out.push({ kind, raw, fold: kind === "word" ? foldPeriodText(raw) : raw });
  }
  while (out[0]?.kind === "sep") out.shift();
  while (out.at(-1)?.kind === "sep") out.pop();
  return out;
}

/** Whether the person typed with Vietnamese marks: then their "sau" means "after", not a "sáu" without marks. */
export function hasDiacritics(tokens: readonly PeriodToken[]): boolean {
  return tokens.some((t) => t.kind === "word" && t.raw !== t.fold);
}

/** Words that introduce a month: "tháng", "thg", "th", "t" (as in "T10"). */
export const MONTH_WORDS: ReadonlySet<string> = new Set(["thang", "thg", "th", "t"]);
/** Words that introduce an ISO week: "tuần", "tuan", "w" (as in "W49"). */
export const WEEK_WORDS: ReadonlySet<string> = new Set(["tuan", "w"]);
/** Words that introduce a quarter: "quý", "quí" and "q" (as in "Q3"). */
export const QUARTER_WORDS: ReadonlySet<string> = new Set(["quy", "qui", "q"]);

/** Spelled month names after "tháng"; "mười" may be followed by "một"/"hai" (11, 12). */
export const SPELLED_MONTHS: Readonly<Record<string, number>> = {
  mot: 1,
  gieng: 1,
  hai: 2,
  ba: 3,
  tu: 4,
  bon: 4,
  nam: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
  muoi: 10,
  chap: 12,
};

/** Spelled quarter numbers after "quý" ("quý nhất" is how some read "quý I"). */
export const SPELLED_QUARTERS: Readonly<Record<string, number>> = { mot: 1, nhat: 1, hai: 2, ba: 3, bon: 4, tu: 4 };

/**
 * Relative words after "tháng", "quý", "năm" or "kỳ", as offsets from the present one. One- and two-word
 * phrases; "sau" (after) is listed but is checked against "sáu" (six) by the reader.
 */
export const RELATIVE_WORDS: ReadonlyArray<{ words: string[]; offset: number; yearOnly?: boolean }> = [
  { words: ["hien", "tai"], offset: 0 },
  { words: ["hien", "nay"], offset: 0 },
  { words: ["vua", "qua"], offset: -1 },
  { words: ["vua", "roi"], offset: -1 },
  { words: ["ke", "tiep"], offset: 1 },
  { words: ["tiep", "theo"], offset: 1 },
  { words: ["nay"], offset: 0 },
  { words: ["truoc"], offset: -1 },
  { words: ["roi"], offset: -1 },
  { words: ["qua"], offset: -1 },
  { words: ["ngoai"], offset: -1, yearOnly: true },
  { words: ["kia"], offset: -2, yearOnly: true },
  { words: ["sau"], offset: 1 },
  { words: ["toi"], offset: 1 },
];

/** Roman numerals as officials write quarters (I–IV) and, rarely, months (up to XII). */
export function romanValue(word: string): number | undefined {
  const i = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"].indexOf(word);
  return i >= 0 ? i + 1 : undefined;
}

/** Courtesy and filler words around a period: "dạ, quý 3 ạ", "kỳ tháng 10", "báo cáo năm nay nhé". */
export const LEADING_FILLERS: ReadonlyArray<string[]> = [["da"], ["bao", "cao"], ["cua"], ["cho"]];
export const TRAILING_FILLERS: ReadonlySet<string> = new Set(["a", "nhe", "nha", "nhen", "voi", "giup", "em"]);
