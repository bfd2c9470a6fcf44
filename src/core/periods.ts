/**
 * Reporting periods: keys, Vietnamese labels, cut-off ranges, deadlines and parsing of what people type.
 *
 * Everything here is pure. "Dates" are local calendar dates in Asia/Ho_Chi_Minh written as "YYYY-MM-DD"
 * strings: a commune officer's "ngày 16" is a wall-calendar day, and computing it in UTC on a server is off by
 * one for seven hours every evening (17:00 UTC is already tomorrow in Vietnam). The only place an instant
 * (`Date`) enters is `localDate`, `openPeriod`, `parsePeriodLabel` and `formatDocDate`, and they convert it to
 * the local date first. Plain strings also compare correctly with `<` and survive JSON / SQLite untouched.
 */
import { TZDate, tz } from "@date-fns/tz";
import { differenceInCalendarDays, format, getDaysInMonth } from "date-fns";

export type PeriodKind = "month" | "quarter" | "half" | "nine_months" | "year";

/** month: index 1-12, quarter: 1-4, half: 1-2, nine_months: 1, year: 1. */
export interface Period {
  kind: PeriodKind;
  year: number;
  index: number;
}

/** "nd09": data cut-off of Nghị định 09/2019/NĐ-CP, Điều 12 (15th .. 14th). "calendar": natural months. */
export type CutoffRule = "nd09" | "calendar";

/**
 * Due date relative to a period: `day` of the month that is `monthOffset` months after the period's last
 * month (0 = the last month itself, 1 = the month after). Days past the month's end are clamped, so "ngày 31"
 * still means the last day of February rather than spilling into March.
 */
export interface DeadlineSpec {
  day: number;
  monthOffset: number;
}

/** Inclusive range of local dates "YYYY-MM-DD". */
export interface DateRange {
  start: string;
  end: string;
}

export interface YearMonth {
  year: number;
  month: number;
}

export const TIME_ZONE = "Asia/Ho_Chi_Minh";
export const PERIOD_KINDS: readonly PeriodKind[] = ["month", "quarter", "half", "nine_months", "year"];

const inVietnam = tz(TIME_ZONE);

/** How many periods of a kind fit in one year; lets next/previous work on a single ordinal. */
const PER_YEAR: Record<PeriodKind, number> = { month: 12, quarter: 4, half: 2, nine_months: 1, year: 1 };
/** Length in months; every kind starts at a fixed month of the calendar year. */
const SPAN_MONTHS: Record<PeriodKind, number> = { month: 1, quarter: 3, half: 6, nine_months: 9, year: 12 };
const ROMAN = ["I", "II", "III", "IV"] as const;

// ---------------------------------------------------------------------------------------------------------
// Validation and small date helpers
// ---------------------------------------------------------------------------------------------------------

/** Keys and labels print the year with four digits, so only four-digit years are accepted. */
export function isValidPeriod(p: Period): boolean {
  return (
    PERIOD_KINDS.includes(p.kind) &&
    Number.isInteger(p.year) &&
    p.year >= 1000 &&
    p.year <= 9999 &&
    Number.isInteger(p.index) &&
    p.index >= 1 &&
    p.index <= PER_YEAR[p.kind]
  );
}

/** A malformed Period is a programming error; failing loudly beats a report filed under "tháng 13". */
function assertPeriod(p: Period): void {
  if (!isValidPeriod(p)) throw new RangeError(`Invalid period: ${JSON.stringify(p)}`);
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

function dateString(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

/** Months as one running number so arithmetic across the year boundary needs no special cases. */
const toOrdinalMonth = (year: number, month: number): number => year * 12 + (month - 1);
const fromOrdinalMonth = (ordinal: number): YearMonth => ({
  year: Math.floor(ordinal / 12),
  month: (((ordinal % 12) + 12) % 12) + 1,
});

/** Parses "YYYY-MM-DD" into a TZDate at local midnight; rejects impossible dates such as 2026-02-30. */
function parseLocalDate(date: string): TZDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return new TZDate(year, month - 1, day, TIME_ZONE);
    }
  }
  throw new RangeError(`Invalid local date (expected YYYY-MM-DD): ${date}`);
}

function daysInMonth(year: number, month: number): number {
  return getDaysInMonth(new TZDate(year, month - 1, 1, TIME_ZONE));
}

/** First calendar month a period covers. */
function firstMonthOf(p: Period): number {
  return p.kind === "month" ? p.index : p.kind === "quarter" ? 3 * p.index - 2 : p.kind === "half" ? 6 * p.index - 5 : 1;
}

// ---------------------------------------------------------------------------------------------------------
// Keys and labels
// ---------------------------------------------------------------------------------------------------------

/** Stable machine key, sortable within one kind: "2026-M11", "2026-Q4", "2026-H1", "2026-9M", "2026-Y". */
export function periodKey(p: Period): string {
  assertPeriod(p);
  switch (p.kind) {
    case "month":
      return `${p.year}-M${p.index}`;
    case "quarter":
      return `${p.year}-Q${p.index}`;
    case "half":
      return `${p.year}-H${p.index}`;
    case "nine_months":
      return `${p.year}-9M`;
    case "year":
      return `${p.year}-Y`;
  }
}

/** Inverse of `periodKey`; undefined for anything it would not produce (keys come from storage and callbacks). */
export function parsePeriodKey(key: string): Period | undefined {
  const m = /^(\d{4})-(?:M(\d{1,2})|Q(\d)|H(\d)|(9M)|(Y))$/.exec(key.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  let p: Period;
  if (m[2] !== undefined) p = { kind: "month", year, index: Number(m[2]) };
  else if (m[3] !== undefined) p = { kind: "quarter", year, index: Number(m[3]) };
  else if (m[4] !== undefined) p = { kind: "half", year, index: Number(m[4]) };
  else if (m[5] !== undefined) p = { kind: "nine_months", year, index: 1 };
  else p = { kind: "year", year, index: 1 };
  return isValidPeriod(p) ? p : undefined;
}

/** The label as officials write it in documents and chat: "tháng 11/2026", "quý IV/2026", ... */
export function periodLabel(p: Period): string {
  assertPeriod(p);
  switch (p.kind) {
    case "month":
      return `tháng ${p.index}/${p.year}`;
    case "quarter":
      return `quý ${ROMAN[p.index - 1]}/${p.year}`;
    case "half":
      return `6 tháng ${p.index === 1 ? "đầu" : "cuối"} năm ${p.year}`;
    case "nine_months":
      return `9 tháng năm ${p.year}`;
    case "year":
      return `năm ${p.year}`;
  }
}

/**
 * ASCII slug of the label for file names: some Zalo/Telegram clients and Windows zip tools mangle
 * Vietnamese diacritics and "/" is not allowed in names. The Roman numeral keeps its case ("quy-IV-2026")
 * so the file still reads like the document title.
 */
export function periodFileLabel(p: Period): string {
  assertPeriod(p);
  switch (p.kind) {
    case "month":
      return `thang-${p.index}-${p.year}`;
    case "quarter":
      return `quy-${ROMAN[p.index - 1]}-${p.year}`;
    case "half":
      return `6-thang-${p.index === 1 ? "dau" : "cuoi"}-nam-${p.year}`;
    case "nine_months":
      return `9-thang-nam-${p.year}`;
    case "year":
      return `nam-${p.year}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Ranges, deadlines, open period
// ---------------------------------------------------------------------------------------------------------

/** The period's last calendar month; deadlines and ND 09 end dates hang off it. */
export function lastMonthOf(p: Period): YearMonth {
  assertPeriod(p);
  return { year: p.year, month: firstMonthOf(p) + SPAN_MONTHS[p.kind] - 1 };
}

/**
 * Inclusive data range of a period under a cut-off rule.
 * ND 09 shifts every kind by the same half month: start on the 15th of the month before the first month,
 * end on the 14th of the last month. That single rule reproduces all of Điều 12 (month, quarter, both halves,
 * 9 months, year), including the year rollover: tháng 1 and quý I start on 15/12 of the previous year.
 */
export function periodRange(p: Period, rule: CutoffRule): DateRange {
  assertPeriod(p);
  const first = toOrdinalMonth(p.year, firstMonthOf(p));
  const last = lastMonthOf(p);
  if (rule === "nd09") {
    const before = fromOrdinalMonth(first - 1);
    return { start: dateString(before.year, before.month, 15), end: dateString(last.year, last.month, 14) };
  }
  const start = fromOrdinalMonth(first);
  return {
    start: dateString(start.year, start.month, 1),
    end: dateString(last.year, last.month, daysInMonth(last.year, last.month)),
  };
}

/** Local due date "YYYY-MM-DD"; the day is clamped to the month's length (31 in February → 28/29). */
export function deadlineOf(p: Period, spec: DeadlineSpec): string {
  assertPeriod(p);
  if (!Number.isInteger(spec.day) || spec.day < 1 || !Number.isInteger(spec.monthOffset)) {
    throw new RangeError(`Invalid deadline spec: ${JSON.stringify(spec)}`);
  }
  const last = lastMonthOf(p);
  const due = fromOrdinalMonth(toOrdinalMonth(last.year, last.month) + spec.monthOffset);
  return dateString(due.year, due.month, Math.min(spec.day, daysInMonth(due.year, due.month)));
}

/** Today's date on a Vietnamese wall calendar. 2026-11-24T17:30:00Z is already 2026-11-25 there. */
export function localDate(now: Date): string {
  return format(now, "yyyy-MM-dd", { in: inVietnam });
}

/**
 * The period currently being collected: the earliest one of `kind` whose deadline is today or later.
 * A period stays open through its whole deadline day, and late units are chased about it after that, but
 * the bot's "current" question moves on to the next period.
 */
export function openPeriod(kind: PeriodKind, spec: DeadlineSpec, now: Date): Period {
  const today = localDate(now);
  const [y, m] = today.split("-").map(Number) as [number, number];
  // Start from the period containing today's month, then walk. Deadlines grow strictly with the period
  // (same spec, later last month), so both walks end; going back matters when monthOffset >= 1, where the
  // previous period's deadline may still lie ahead (tháng 11 due 05/12 is still open on 03/12).
  let p: Period = periodContainingMonth(kind, y, m);
  for (let prev = previousPeriod(p); deadlineOf(prev, spec) >= today; prev = previousPeriod(p)) p = prev;
  while (deadlineOf(p, spec) < today) p = nextPeriod(p);
  return p;
}

/** The period of a kind that covers a calendar month, or for nine_months (which skips Oct-Dec) that year's. */
function periodContainingMonth(kind: PeriodKind, year: number, month: number): Period {
  switch (kind) {
    case "month":
      return { kind, year, index: month };
    case "quarter":
      return { kind, year, index: Math.ceil(month / 3) };
    case "half":
      return { kind, year, index: month <= 6 ? 1 : 2 };
    case "nine_months":
    case "year":
      return { kind, year, index: 1 };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Navigation and containment
// ---------------------------------------------------------------------------------------------------------

function shiftPeriod(p: Period, by: number): Period {
  assertPeriod(p);
  const n = PER_YEAR[p.kind];
  const ordinal = p.year * n + (p.index - 1) + by;
  return { kind: p.kind, year: Math.floor(ordinal / n), index: (((ordinal % n) + n) % n) + 1 };
}

/** The period just before (tháng 1/2027 → tháng 12/2026; 9 tháng and năm step by a year). */
export function previousPeriod(p: Period): Period {
  return shiftPeriod(p, -1);
}

export function nextPeriod(p: Period): Period {
  return shiftPeriod(p, 1);
}

/** "Cùng kỳ năm trước": reports compare with the same period one year earlier. */
export function samePeriodLastYear(p: Period): Period {
  assertPeriod(p);
  return { ...p, year: p.year - 1 };
}

/** The month periods a period is made of, in order; used to roll monthly figures up into longer periods. */
export function monthsOf(p: Period): Period[] {
  assertPeriod(p);
  const first = firstMonthOf(p);
  return Array.from({ length: SPAN_MONTHS[p.kind] }, (_, i) => ({ kind: "month" as const, year: p.year, index: first + i }));
}

/**
 * Whether `inner` lies within `outer` (a period contains itself). Judged by covered months: both cut-off
 * rules shift every kind by the same amount, so month containment holds under either rule.
 */
export function periodContains(outer: Period, inner: Period): boolean {
  assertPeriod(outer);
  assertPeriod(inner);
  if (outer.year !== inner.year) return false;
  return firstMonthOf(outer) <= firstMonthOf(inner) && lastMonthOf(inner).month <= lastMonthOf(outer).month;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing what people type
// ---------------------------------------------------------------------------------------------------------

/** Lower case, no diacritics, single spaces: people type on phones and often skip the Vietnamese keyboard. */
function normalize(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[\s.,;:!?]+$/, "")
    .trim();
}

/**
 * Reads the optional year after a period token: "", "/2026", "-2026", " 2026", " năm 2026".
 * A separator is required so that "tháng 112026" is not silently read as tháng 11/2026.
 * Returns null when the tail is something else, which makes the whole input unreadable.
 */
function parseYearTail(rest: string): { year?: number } | null {
  if (rest.trim() === "") return {};
  const m = /^(?:\s*[/\-.]\s*|\s+)(?:nam\s*)?(\d{4})$/.exec(rest);
  return m ? { year: Number(m[1]) } : null;
}

function romanOrNumber(token: string): number {
  const roman = ["i", "ii", "iii", "iv"].indexOf(token);
  return roman >= 0 ? roman + 1 : /^\d+$/.test(token) ? Number(token) : NaN;
}

/**
 * Reads a period the way people type it: "tháng 11/2026", "thang 11", "T11", "11/2026", "quý IV", "Q3/2026",
 * "6 thang dau nam", "6 tháng cuối năm 2025", "9 tháng", "năm 2026", "cả năm", ... (any case, with or without
 * diacritics). A bare "11" or "11/2026" is read as `defaultKind` (month unless told otherwise), so the bot can
 * accept "3" when it has just asked which quarter. A bare four-digit number is a year.
 *
 * Without a year the latest such period that has begun is meant, allowing the one-month head start of ND 09
 * (tháng 12 is being collected from 15/11): the current local year, except that a period starting more than a
 * month after the current month is taken from last year. So "quý IV" typed in January 2027, when quý IV/2026
 * reports are still due, means 2026, while "tháng 11" in November means this November. Never next year.
 *
 * Returns undefined for anything else ("tháng 13", "quý 5", "abc"); the caller then asks again.
 */
export function parsePeriodLabel(text: string, now: Date, defaultKind: PeriodKind = "month"): Period | undefined {
  const s = normalize(text);
  if (s === "") return undefined;
  const [curYear, curMonth] = localDate(now).split("-").map(Number) as [number, number];

  const build = (kind: PeriodKind, index: number, rest: string): Period | undefined => {
    const tail = parseYearTail(rest);
    if (!tail || !Number.isInteger(index)) return undefined;
    let year = tail.year;
    if (year === undefined) {
      const candidate: Period = { kind, year: curYear, index };
      if (!isValidPeriod(candidate)) return undefined;
      year = firstMonthOf(candidate) > curMonth + 1 ? curYear - 1 : curYear;
    }
    const p: Period = { kind, year, index };
    return isValidPeriod(p) ? p : undefined;
  };

  let m: RegExpExecArray | null;
  // Month: "thang 11", "th 11", "t11", "t.11".
  if ((m = /^(?:thang|th|t)\.?\s*(\d{1,2})(?!\d)(.*)$/.exec(s))) return build("month", Number(m[1]), m[2] ?? "");
  // Quarter: "quy 3", "quy iii", "q3", "q.iv". The lookahead stops "quy 35" or "quy iva" from half-matching.
  if ((m = /^(?:quy|q)\.?\s*(\d{1,2}|iv|i{1,3})(?![\da-z])(.*)$/.exec(s))) {
    return build("quarter", romanOrNumber(m[1] ?? ""), m[2] ?? "");
  }
  // Halves: "6 thang dau nam", "6t cuoi nam 2025"; a bare "6 tháng" is the usual name of the mid-year report.
  if ((m = /^6\s*(?:thang|t)(?:\s*(dau|cuoi))?(?:\s+nam)?(?![a-z])(.*)$/.exec(s))) {
    return build("half", m[1] === "cuoi" ? 2 : 1, m[2] ?? "");
  }
  // Nine months: "9 thang", "9 thang nam 2026", "9 thang dau nam".
  if ((m = /^9\s*(?:thang|t)(?:\s*dau)?(?:\s+nam)?(?![a-z])(.*)$/.exec(s))) return build("nine_months", 1, m[1] ?? "");
  // Year: "nam 2026", "ca nam", "nam nay", "ca nam 2026".
  if ((m = /^(?:ca\s*)?nam(?:\s+nay)?(?![a-z])(.*)$/.exec(s))) return build("year", 1, m[1] ?? "");
  // Bare year: "2026".
  if ((m = /^(\d{4})$/.exec(s))) return build("year", 1, ` ${m[1]}`);
  // Bare number (or Roman numeral when a quarter is expected): "11", "11/2026", "IV/2026".
  if ((m = /^(\d{1,2}|iv|i{1,3})(?![\da-z])(.*)$/.exec(s))) {
    const token = m[1] ?? "";
    if (/^[iv]+$/.test(token) && defaultKind !== "quarter") return undefined;
    if (defaultKind === "nine_months" || defaultKind === "year") return undefined;
    return build(defaultKind, romanOrNumber(token), m[2] ?? "");
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Formatting dates
// ---------------------------------------------------------------------------------------------------------

/**
 * Document style date "ngày 06 tháng 02 năm 2024" (two-digit day and month, as in administrative documents).
 * Accepts an instant (converted to the local date) or an already local "YYYY-MM-DD".
 */
export function formatDocDate(now: Date | string): string {
  const date = typeof now === "string" ? now : localDate(now);
  return format(parseLocalDate(date), "'ngày' dd 'tháng' MM 'năm' yyyy");
}

/** Chat style "06/02/2024". */
export function formatChatDate(date: string): string {
  return format(parseLocalDate(date), "dd/MM/yyyy");
}

/** Short "16/11" for reminders where the year is obvious. */
export function formatShortDate(date: string): string {
  return format(parseLocalDate(date), "dd/MM");
}

/** Whole days from `fromDate` to `toDate` (negative when `toDate` is earlier); both local "YYYY-MM-DD". */
export function daysBetween(fromDate: string, toDate: string): number {
  return differenceInCalendarDays(parseLocalDate(toDate), parseLocalDate(fromDate));
}
