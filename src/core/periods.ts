/**
 * Reporting periods: keys, Vietnamese labels, cut-off ranges, deadlines and parsing of what people type.
 *
 * Everything here is pure. Dates are local calendar dates "YYYY-MM-DD" (see local-time.ts); the only places
 * an instant (`Date`) enters are `openPeriod`, `readPeriod` and `parsePeriodLabel`, which take its local date
 * first.
 */
import { addDays, daysInMonth, localDate } from "./local-time.js";
import { fileSlugOf } from "./period-slug.js";
import {
  LEADING_FILLERS,
  MONTH_WORDS,
  QUARTER_WORDS,
  RELATIVE_WORDS,
  SPELLED_MONTHS,
  SPELLED_QUARTERS,
  TRAILING_FILLERS,
  WEEK_WORDS,
  hasDiacritics,
  romanValue,
  tokenizePeriod,
  type PeriodToken,
} from "./period-words.js";

export type PeriodKind = "month" | "quarter" | "half" | "nine_months" | "year" | "week" | "round" | "campaign";

/** The calendar kinds: their dates follow from year and index alone. */
export type CalendarKind = "month" | "quarter" | "half" | "nine_months" | "year";

/**
 * month: index 1-12, quarter: 1-4, half: 1-2, nine_months: 1, year: 1; week: ISO week 1-53 of ISO year `year`;
 * campaign: index 1, `campaign` set; round: index = the round's number, `round` set, `year` = its start's year.
 */
export interface Period {
  kind: PeriodKind;
  year: number;
  index: number;
  /** A campaign's fixed window and title, declared by its form (a key alone does not carry them). */
  campaign?: CampaignSpec;
  /** A round's name and dates, as staff opened it (a key alone does not carry them). */
  round?: RoundSpan;
}

/** A yearly campaign's window: day-months "MM-DD" (an end before the start falls in the next year). */
export interface CampaignSpec {
  start: string;
  end: string;
  /** "Tháng cao điểm “Vì người nghèo”": the label adds " năm 2026 (17/10–18/11)". */
  title: string;
}

/** What a round period knows of itself and of the round before it (same form, same opening unit). */
export interface RoundSpan {
  name: string;
  /** Local "YYYY-MM-DD", inclusive. */
  start: string;
  end: string;
  /** The previous round of the same form opened for the same unit, if any (without its own previous). */
  previous?: Period;
}

/** "nd09": data cut-off of Nghị định 09/2019/NĐ-CP, Điều 12 (15th .. 14th). "calendar": natural months. */
export type CutoffRule = "nd09" | "calendar";

/**
 * Due date relative to a period: `day` of the month that is `monthOffset` months after the period's last
 * month (0 = the last month itself, 1 = the month after). Days past the month's end are clamped, so "ngày 31"
 * still means the last day of February rather than spilling into March. Or `daysAfterEnd` days after the
 * period's last day (weeks, rounds, campaigns: 0 = the last day itself, 1 = the day after).
 */
export type DeadlineSpec = { day: number; monthOffset: number } | { daysAfterEnd: number };

/** Inclusive range of local dates "YYYY-MM-DD". */
export interface DateRange {
  start: string;
  end: string;
}

export interface YearMonth {
  year: number;
  month: number;
}

export const CALENDAR_KINDS: readonly CalendarKind[] = ["month", "quarter", "half", "nine_months", "year"];
export const PERIOD_KINDS: readonly PeriodKind[] = [...CALENDAR_KINDS, "week", "round", "campaign"];

/** Kinds whose deadline counts days after their last day rather than a day of a month. */
export const DATED_KINDS: readonly PeriodKind[] = ["week", "round", "campaign"];

export const isCalendarKind = (kind: PeriodKind): kind is CalendarKind => (CALENDAR_KINDS as readonly string[]).includes(kind);

/** How many periods of a kind fit in one year; lets next/previous work on a single ordinal. */
const PER_YEAR: Record<CalendarKind, number> = { month: 12, quarter: 4, half: 2, nine_months: 1, year: 1 };
/** Length in months; every kind starts at a fixed month of the calendar year. */
const SPAN_MONTHS: Record<CalendarKind, number> = { month: 1, quarter: 3, half: 6, nine_months: 9, year: 12 };
const ROMAN = ["I", "II", "III", "IV"] as const;

// ---------------------------------------------------------------------------------------------------------
// Validation and small date helpers
// ---------------------------------------------------------------------------------------------------------

/** Keys and labels print the year with four digits, so only four-digit years are accepted. */
export function isValidPeriod(p: Period): boolean {
  if (!PERIOD_KINDS.includes(p.kind) || !Number.isInteger(p.year) || p.year < 1000 || p.year > 9999 || !Number.isInteger(p.index)) return false;
  switch (p.kind) {
    case "week":
      return p.index >= 1 && p.index <= isoWeeksInYear(p.year);
    case "campaign":
      return p.index === 1 && p.campaign !== undefined;
    case "round":
      // Round 0 stands for "no such round" (the previous of a first round): it has no reports.
      return p.index >= 0 && p.round !== undefined;
    default:
      return p.index >= 1 && p.index <= PER_YEAR[p.kind];
  }
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

/** First calendar month a period covers (dated kinds: the month of their first day). */
function firstMonthOf(p: Period): number {
  if (!isCalendarKind(p.kind)) return Number(datedRange(p).start.slice(5, 7));
  return p.kind === "month" ? p.index : p.kind === "quarter" ? 3 * p.index - 2 : p.kind === "half" ? 6 * p.index - 5 : 1;
}

// ---------------------------------------------------------------------------------------------------------
// Weeks (ISO 8601: Monday to Sunday; week 1 holds the year's first Thursday), campaigns and rounds
// ---------------------------------------------------------------------------------------------------------

/** Day of the week of a local date, 1 = Monday … 7 = Sunday (pure calendar arithmetic, no time zone). */
function isoWeekday(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday of ISO week 1 of a year: the week holding 4 January. */
function isoWeekOneMonday(year: number): string {
  const jan4 = dateString(year, 1, 4);
  return addDays(jan4, 1 - isoWeekday(jan4));
}

/** 52 or 53: a year has 53 ISO weeks when its 28 December falls in week 53. */
export function isoWeeksInYear(year: number): number {
  return weekOfDate(dateString(year, 12, 28)).index;
}

/** The ISO week a local date lies in ("2026-01-01" is in week 1 of 2026; "2027-01-01" in week 53 of 2026). */
export function weekOfDate(date: string): Period {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  const monday = isoWeekOneMonday(year);
  const days = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${monday}T00:00:00Z`)) / 86_400_000);
  return { kind: "week", year, index: Math.floor(days / 7) + 1 };
}

/** A campaign of a given year, from its form's window. */
export function campaignOf(spec: CampaignSpec, year: number): Period {
  return { kind: "campaign", year, index: 1, campaign: spec };
}

/** The placeholder for a round that does not exist (the one before a first round): no report carries it. */
export function noRound(year: number, name: string): Period {
  return { kind: "round", year, index: 0, round: { name, start: dateString(year, 1, 1), end: dateString(year, 1, 1) } };
}

/** First and last day of a week, round or campaign. */
function datedRange(p: Period): DateRange {
  switch (p.kind) {
    case "week": {
      const start = addDays(isoWeekOneMonday(p.year), (p.index - 1) * 7);
      return { start, end: addDays(start, 6) };
    }
    case "campaign": {
      const c = p.campaign!;
      const start = `${p.year}-${c.start}`;
      const end = `${c.end < c.start ? p.year + 1 : p.year}-${c.end}`;
      return { start, end };
    }
    case "round":
      return { start: p.round!.start, end: p.round!.end };
    default:
      throw new RangeError(`Not a dated period: ${p.kind}`);
  }
}

/** "30/11–06/12": a dated period's days, with the year only when the range spans two years. */
function shortSpan(r: DateRange): string {
  const dm = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}`;
  return r.start.slice(0, 4) === r.end.slice(0, 4) ? `${dm(r.start)}–${dm(r.end)}` : `${dm(r.start)}/${r.start.slice(0, 4)}–${dm(r.end)}/${r.end.slice(0, 4)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Keys and labels
// ---------------------------------------------------------------------------------------------------------

/**
 * Stable machine key, sortable within one kind: "2026-M11", "2026-Q4", "2026-H1", "2026-9M", "2026-Y",
 * "2026-W49" (ISO week), "2026-C" (the form's campaign of 2026), "R12" (round number 12).
 */
export function periodKey(p: Period): string {
  assertPeriod(p);
  switch (p.kind) {
    case "week":
      return `${p.year}-W${pad2(p.index)}`;
    case "campaign":
      return `${p.year}-C`;
    case "round":
      return `R${p.index}`;
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

/**
 * Inverse of `periodKey` for the kinds a key describes whole (calendar kinds and weeks); undefined for anything
 * else. Campaign and round keys need their form and the stored rounds: `periodOfKey` in forms/form-periods.ts.
 */
export function parsePeriodKey(key: string): Period | undefined {
  const m = /^(\d{4})-(?:M(\d{1,2})|Q(\d)|H(\d)|(9M)|(Y)|W(\d{1,2}))$/.exec(key.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  let p: Period;
  if (m[7] !== undefined) p = { kind: "week", year, index: Number(m[7]) };
  else if (m[2] !== undefined) p = { kind: "month", year, index: Number(m[2]) };
  else if (m[3] !== undefined) p = { kind: "quarter", year, index: Number(m[3]) };
  else if (m[4] !== undefined) p = { kind: "half", year, index: Number(m[4]) };
  else if (m[5] !== undefined) p = { kind: "nine_months", year, index: 1 };
  else p = { kind: "year", year, index: 1 };
  return isValidPeriod(p) ? p : undefined;
}

/**
 * The label as officials write it in documents and chat: "tháng 11/2026", "quý IV/2026", "tuần 49/2026
 * (30/11–06/12)", "Tháng cao điểm “Vì người nghèo” năm 2026 (17/10–18/11)", and a round's name with its dates
 * "Tiếp xúc cử tri trước kỳ họp thứ 5 (01/12–10/12)".
 */
export function periodLabel(p: Period): string {
  assertPeriod(p);
  switch (p.kind) {
    case "week":
      return `tuần ${p.index}/${p.year} (${shortSpan(datedRange(p))})`;
    case "campaign":
      return `${p.campaign!.title} năm ${p.year} (${shortSpan(datedRange(p))})`;
    case "round":
      return p.index === 0 ? p.round!.name : `${p.round!.name} (${shortSpan(datedRange(p))})`;
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
    case "week":
      return `tuan-${p.index}-${p.year}`;
    case "campaign":
      return `${fileSlugOf(p.campaign!.title, 40)}-${p.year}`;
    case "round":
      return `dot-${p.index}-${fileSlugOf(p.round!.name, 40)}`;
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
  if (!isCalendarKind(p.kind)) {
    const end = datedRange(p).end;
    return { year: Number(end.slice(0, 4)), month: Number(end.slice(5, 7)) };
  }
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
  // Weeks, rounds and campaigns have their own days; a cut-off rule shifts only calendar months.
  if (!isCalendarKind(p.kind)) return datedRange(p);
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
  if ("daysAfterEnd" in spec) {
    if (!Number.isInteger(spec.daysAfterEnd) || spec.daysAfterEnd < 0) throw new RangeError(`Invalid deadline spec: ${JSON.stringify(spec)}`);
    return addDays(periodRange(p, "calendar").end, spec.daysAfterEnd);
  }
  if (!Number.isInteger(spec.day) || spec.day < 1 || !Number.isInteger(spec.monthOffset)) {
    throw new RangeError(`Invalid deadline spec: ${JSON.stringify(spec)}`);
  }
  const last = lastMonthOf(p);
  const due = fromOrdinalMonth(toOrdinalMonth(last.year, last.month) + spec.monthOffset);
  return dateString(due.year, due.month, Math.min(spec.day, daysInMonth(due.year, due.month)));
}

/**
 * The period currently being collected: the earliest one of `kind` whose deadline is today or later.
 * A period stays open through its whole deadline day, and late units are chased about it after that, but
 * the bot's "current" question moves on to the next period.
 */
export function openPeriod(kind: PeriodKind, spec: DeadlineSpec, now: Date, campaign?: CampaignSpec): Period {
  const today = localDate(now);
  const [y, m] = today.split("-").map(Number) as [number, number];
  if (kind === "round") throw new RangeError("Rounds are opened by staff, not by the clock");
  if (kind === "campaign" && !campaign) throw new RangeError("A campaign period needs its form's window");
  // Start from the period containing today (its month, week or campaign year), then walk. Deadlines grow strictly with the period
  // (same spec, later last month), so both walks end; going back matters when monthOffset >= 1, where the
  // previous period's deadline may still lie ahead (tháng 11 due 05/12 is still open on 03/12).
  let p: Period = kind === "week" ? weekOfDate(today) : kind === "campaign" ? campaignOf(campaign!, y) : periodContainingMonth(kind, y, m);
  for (let prev = previousPeriod(p); deadlineOf(prev, spec) >= today; prev = previousPeriod(p)) p = prev;
  while (deadlineOf(p, spec) < today) p = nextPeriod(p);
  return p;
}

/** The month, quarter, half, nine months, year or ISO week a local date lies in. */
function periodContainingDate(kind: CalendarKind | "week", date: string): Period {
  if (kind === "week") return weekOfDate(date);
  const [y, m] = date.split("-").map(Number) as [number, number];
  return periodContainingMonth(kind, y, m);
}

/** The period of a kind that covers a calendar month, or for nine_months (which skips Oct-Dec) that year's. */
export function periodContainingMonth(kind: CalendarKind, year: number, month: number): Period {
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
  if (p.kind === "week") return weekOfDate(addDays(datedRange(p).start, 7 * by));
  if (p.kind === "campaign") return { ...p, year: p.year + by };
  if (p.kind === "round") {
    if (by === 0) return p;
    // Only the round before is known to a round; any other step is "no such round".
    if (by === -1 && p.round!.previous) return p.round!.previous;
    return noRound(p.year, by < 0 ? "đợt trước" : "đợt sau");
  }
  const n = PER_YEAR[p.kind];
  const ordinal = p.year * n + (p.index - 1) + by;
  return { kind: p.kind, year: Math.floor(ordinal / n), index: (((ordinal % n) + n) % n) + 1 };
}

/**
 * The period just before (tháng 1/2027 → tháng 12/2026; 9 tháng, năm and a campaign step by a year; a week by
 * seven days; a round → the round before it of the same form and unit, or `noRound` when it is the first).
 */
export function previousPeriod(p: Period): Period {
  return shiftPeriod(p, -1);
}

export function nextPeriod(p: Period): Period {
  return shiftPeriod(p, 1);
}

/** "Cùng kỳ năm trước": reports compare with the same period one year earlier. */
export function samePeriodLastYear(p: Period): Period {
  assertPeriod(p);
  // A week compares with the same ISO week number (week 53 with last year's last week); rounds have no year.
  if (p.kind === "week") return { ...p, year: p.year - 1, index: Math.min(p.index, isoWeeksInYear(p.year - 1)) };
  if (p.kind === "round") return noRound(p.year - 1, "cùng kỳ năm trước");
  return { ...p, year: p.year - 1 };
}

/** The month periods a period is made of, in order; used to roll monthly figures up into longer periods. */
export function monthsOf(p: Period): Period[] {
  assertPeriod(p);
  if (!isCalendarKind(p.kind)) return [];
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
  if (!isCalendarKind(outer.kind) || !isCalendarKind(inner.kind)) {
    const o = periodRange(outer, "calendar");
    const i = periodRange(inner, "calendar");
    return o.start <= i.start && i.end <= o.end;
  }
  if (outer.year !== inner.year) return false;
  return firstMonthOf(outer) <= firstMonthOf(inner) && lastMonthOf(inner).month <= lastMonthOf(outer).month;
}

// ---------------------------------------------------------------------------------------------------------
// Windows: how far from the clock a typed period may lie
// ---------------------------------------------------------------------------------------------------------

/** The periods a command accepts: every period that overlaps the months from `from` to `to`. */
export interface PeriodWindow {
  from: Period;
  to: Period;
}

/**
 * From `yearsBack` years before `open` (the period the clock is collecting) to the period right after it.
 * Nothing later than that is worth opening or summing up: no one has reported it yet.
 */
export function periodWindow(open: Period, yearsBack: number): PeriodWindow {
  assertPeriod(open);
  if (open.kind === "week") return { from: weekOfDate(addDays(datedRange(open).start, -364 * yearsBack)), to: nextPeriod(open) };
  if (!isCalendarKind(open.kind)) return { from: { ...open, year: open.year - yearsBack }, to: nextPeriod(open) };
  return { from: shiftPeriod(open, -yearsBack * PER_YEAR[open.kind]), to: nextPeriod(open) };
}

/** Whether any month of `p` lies in the window (so "quý 4" counts for a monthly form's window). */
export function withinWindow(p: Period, w: PeriodWindow): boolean {
  assertPeriod(p);
  if (!isCalendarKind(p.kind) || !isCalendarKind(w.from.kind) || !isCalendarKind(w.to.kind)) {
    const r = periodRange(p, "calendar");
    return r.end >= periodRange(w.from, "calendar").start && r.start <= periodRange(w.to, "calendar").end;
  }
  const first = toOrdinalMonth(p.year, firstMonthOf(p));
  const last = lastMonthOf(p);
  const windowEnd = lastMonthOf(w.to);
  return toOrdinalMonth(last.year, last.month) >= toOrdinalMonth(w.from.year, firstMonthOf(w.from)) && first <= toOrdinalMonth(windowEnd.year, windowEnd.month);
}

// ---------------------------------------------------------------------------------------------------------
// Reading what people type
// ---------------------------------------------------------------------------------------------------------

export interface PeriodReadOptions {
  /** The kind a bare number stands for ("3" when the bot has just asked which quarter). Default "month". */
  defaultKind?: PeriodKind;
  /**
   * The period being collected, for "kỳ này", "kỳ trước", "cùng kỳ năm ngoái". Default: the period of
   * `defaultKind` that contains today.
   */
  current?: Period;
}

export type PeriodReading =
  | { ok: true; period: Period }
  | { ok: false; reason: "unreadable" }
  /** Typed without marks, "thang sau" is "tháng sau" (next month) or "tháng sáu" (June): the person says which. */
  | { ok: false; reason: "ambiguous"; candidates: Period[] };

type YearSpec = { abs: number } | { rel: number };
/** The kinds a person names by words and numbers; campaigns and rounds are named by the form and the store. */
type ReadKind = CalendarKind | "week";
type Spec =
  | { type: "fixed"; kind: ReadKind; index: number; year?: YearSpec }
  /** "tháng này", "quý trước", "năm ngoái": counted from the period of that kind containing today. */
  | { type: "relative"; kind: ReadKind; offset: number; year?: YearSpec }
  /** "kỳ này", "kỳ trước": counted from the period being collected. */
  | { type: "current"; offset: number; year?: YearSpec }
  /** "cùng kỳ năm ngoái": the period being collected, one year earlier unless a year is named. */
  | { type: "same_period"; year?: YearSpec };
type Parsed = Spec | Spec[] | undefined;

/** A walk over the tokens; every reader either consumes what it recognises or leaves the cursor alone. */
class Cursor {
  i = 0;
  constructor(
    readonly tokens: PeriodToken[],
    readonly marked: boolean,
  ) {}
  peek(k = 0): PeriodToken | undefined {
    return this.tokens[this.i + k];
  }
  word(k = 0): string | undefined {
    const t = this.peek(k);
    return t?.kind === "word" ? t.fold : undefined;
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
  skipDot(): void {
    if (this.peek()?.raw === ".") this.i++;
  }
}

/** "26" → 2026, "2026" → 2026; other lengths are not years. */
function yearNumber(digits: string): number | undefined {
  if (digits.length === 4) return Number(digits);
  if (digits.length === 2) return 2000 + Number(digits);
  return undefined;
}

/** "này", "trước", "vừa qua", "trước nữa", "ngoái" (years only)… as an offset; `sau` keeps how it was typed. */
function readRelative(c: Cursor, forYear: boolean): { offset: number; typed: string } | undefined {
  for (const r of RELATIVE_WORDS) {
    if (r.yearOnly && !forYear) continue;
    if (!r.words.every((w, k) => c.word(k) === w)) continue;
    const typed = c.peek()!.raw;
    c.i += r.words.length;
    let offset = r.offset;
    if (offset === -1 && c.word() === "nua") {
      c.i++;
      offset = -2;
    }
    return { offset, typed };
  }
  return undefined;
}

/** The year after a period: "/2026", "-26", ".2026", " 2026", " năm 2026", " năm nay", " năm ngoái". */
function readYear(c: Cursor): YearSpec | undefined {
  const t = c.peek();
  if (!t) return undefined;
  if (t.kind === "sep") {
    const n = c.peek(1);
    const y = n?.kind === "num" ? yearNumber(n.raw) : undefined;
    if (y === undefined) return undefined;
    c.i += 2;
    return { abs: y };
  }
  if (t.kind === "num" && t.raw.length === 4) {
    c.i++;
    return { abs: Number(t.raw) };
  }
  if (c.word() === "nam") {
    const n = c.peek(1);
    if (n?.kind === "num") {
      const y = yearNumber(n.raw);
      if (y === undefined) return undefined;
      c.i += 2;
      return { abs: y };
    }
    c.i++;
    const rel = readRelative(c, true);
    // A bare "năm" ("6 tháng đầu năm") names no year.
    return rel ? { rel: rel.offset } : undefined;
  }
  return undefined;
}

const fixed = (kind: ReadKind, index: number, year?: YearSpec): Spec => ({ type: "fixed", kind, index, year });
const relative = (kind: ReadKind, offset: number, year?: YearSpec): Spec => ({ type: "relative", kind, offset, year });

/**
 * The start month, quarter and week bodies share: an optional dot, then a number of at most two digits with its
 * year ("10/2026", "4", "49 năm nay") ends the reading; otherwise the word that follows is for the caller.
 */
function numberedStart(c: Cursor, kind: ReadKind): { end: Parsed } | { word: NonNullable<ReturnType<Cursor["peek"]>> } {
  c.skipDot();
  const t = c.peek();
  if (!t) return { end: undefined };
  if (t.kind !== "num") return { word: t };
  if (t.raw.length > 2) return { end: undefined };
  c.i++;
  return { end: fixed(kind, Number(t.raw), readYear(c)) };
}

/** After "tháng": 10, X, "mười một", "chạp", "này", "trước", "sau"/"sáu"… */
function monthBody(c: Cursor, introducedBy: string): Parsed {
  const start = numberedStart(c, "month");
  if ("end" in start) return start.end;
  const t = start.word;
  const w = c.word();
  if (!w) return undefined;
  if (w === "sau") {
    // "sáu" is June, "sau" is next month; typed without any marks it could be either.
    c.i++;
    if (t.raw === "sáu") return fixed("month", 6, readYear(c));
    const year = readYear(c);
    return c.marked ? relative("month", 1, year) : [fixed("month", 6, year), relative("month", 1, year)];
  }
  if (w === "muoi") {
    c.i++;
    const unit = c.word() === "mot" ? 1 : c.word() === "hai" ? 2 : 0;
    if (unit) c.i++;
    return fixed("month", 10 + unit, readYear(c));
  }
  const rel = readRelative(c, false);
  if (rel) return relative("month", rel.offset, readYear(c));
  const spelled = SPELLED_MONTHS[w];
  if (spelled !== undefined) {
    c.i++;
    return fixed("month", spelled, readYear(c));
  }
  const roman = introducedBy === "t" ? undefined : romanValue(w);
  if (roman !== undefined) {
    c.i++;
    return fixed("month", roman, readYear(c));
  }
  return undefined;
}

/** After "quý": 3, III, "ba", "tư", "này", "trước", "sau"… */
function quarterBody(c: Cursor): Parsed {
  const start = numberedStart(c, "quarter");
  if ("end" in start) return start.end;
  const w = c.word();
  if (!w) return undefined;
  const rel = readRelative(c, false);
  if (rel) return relative("quarter", rel.offset, readYear(c));
  const n = SPELLED_QUARTERS[w] ?? romanValue(w);
  if (n === undefined) return undefined;
  c.i++;
  return fixed("quarter", n, readYear(c));
}

/** After "tuần": 49, "49/2026", "49 năm nay", "này", "trước", "sau", "tới"… */
function weekBody(c: Cursor): Parsed {
  const start = numberedStart(c, "week");
  if ("end" in start) return start.end;
  const rel = readRelative(c, false);
  return rel ? relative("week", rel.offset, readYear(c)) : undefined;
}

/** After "6 tháng": "đầu", "cuối", then the year ("6 tháng đầu năm nay"); a bare "6 tháng" is the first half. */
function halfBody(c: Cursor): Parsed {
  const side = c.word();
  if (side === "dau" || side === "cuoi") c.i++;
  return fixed("half", side === "cuoi" ? 2 : 1, readYear(c));
}

/** "nửa đầu năm", "nửa cuối năm 2025", "nửa năm đầu". */
function halfByWordBody(c: Cursor): Parsed {
  if (c.word() === "nam" && (c.word(1) === "dau" || c.word(1) === "cuoi")) {
    const index = c.word(1) === "cuoi" ? 2 : 1;
    c.i += 2;
    return fixed("half", index, readYear(c));
  }
  if (c.word() !== "dau" && c.word() !== "cuoi") return undefined;
  const index = c.word() === "cuoi" ? 2 : 1;
  c.i++;
  return fixed("half", index, readYear(c));
}

/** "năm 2026", "năm 26", "năm nay", "năm ngoái", "năm kia", "cả năm". */
function yearBody(c: Cursor): Parsed {
  const t = c.peek();
  if (t?.kind === "num") {
    const y = yearNumber(t.raw);
    if (y === undefined) return undefined;
    c.i++;
    return fixed("year", 1, { abs: y });
  }
  const rel = readRelative(c, true);
  if (rel) return relative("year", rel.offset);
  return fixed("year", 1);
}

/** "2026", "2026-10" (year first, as in ISO: always a month), "2026 Q3". */
function yearFirst(c: Cursor, year: number): Parsed {
  if (c.done()) return fixed("year", 1, { abs: year });
  if (c.peek()?.kind === "sep") c.i++;
  const n = c.peek();
  if (n?.kind === "num" && n.raw.length <= 2) {
    c.i++;
    return fixed("month", Number(n.raw), { abs: year });
  }
  const w = c.word();
  if (w && QUARTER_WORDS.has(w)) {
    c.i++;
    const q = quarterBody(c);
    return q && !Array.isArray(q) && q.type === "fixed" && !q.year ? { ...q, year: { abs: year } } : undefined;
  }
  const roman = w ? /^q(i{1,3}|iv)$/.exec(w) : null;
  if (roman) {
    c.i++;
    return fixed("quarter", romanValue(roman[1]!)!, { abs: year });
  }
  return undefined;
}

const NUMBER_WORD_SIX = new Set(["6", "06", "sau"]);
const NUMBER_WORD_NINE = new Set(["9", "09", "chin"]);

function parseHead(c: Cursor, defaultKind: PeriodKind): Parsed {
  const t = c.peek();
  if (!t) return undefined;
  const w = c.word();
  if (w === "cung" && c.word(1) === "ky") {
    c.i += 2;
    return { type: "same_period", year: readYear(c) };
  }
  if (w === "ky") {
    c.i++;
    const rel = readRelative(c, false);
    // "kỳ này" / "kỳ trước"; otherwise "kỳ" only introduces the period: "kỳ tháng 10".
    return rel ? { type: "current", offset: rel.offset, year: readYear(c) } : parseHead(c, defaultKind);
  }
  // "6 tháng …", "sáu tháng …", "6t …" and "9 tháng …" before months: the number belongs to the kind.
  const lead = t.kind === "num" ? t.raw : w;
  const next = c.word(1);
  if (lead !== undefined && next !== undefined && MONTH_WORDS.has(next)) {
    // "sau" is "sáu" (six) only when typed with its mark or in text typed without any: "sau tháng 10" is "after".
    const six = NUMBER_WORD_SIX.has(lead) && (lead !== "sau" || t.raw === "sáu" || !c.marked);
    if (six) {
      c.i += 2;
      return halfBody(c);
    }
    if (NUMBER_WORD_NINE.has(lead)) {
      c.i += 2;
      if (c.word() === "dau") c.i++;
      return fixed("nine_months", 1, readYear(c));
    }
  }
  if (w !== undefined && MONTH_WORDS.has(w)) {
    c.i++;
    return monthBody(c, w);
  }
  if (w !== undefined && QUARTER_WORDS.has(w)) {
    c.i++;
    return quarterBody(c);
  }
  if (w !== undefined && WEEK_WORDS.has(w)) {
    c.i++;
    return weekBody(c);
  }
  const qRoman = w ? /^q(i{1,3}|iv)$/.exec(w) : null;
  if (qRoman) {
    c.i++;
    return fixed("quarter", romanValue(qRoman[1]!)!, readYear(c));
  }
  if (w === "nua") {
    c.i++;
    return halfByWordBody(c);
  }
  if (w === "ca" && c.word(1) === "nam") {
    c.i += 2;
    return yearBody(c);
  }
  if (w === "nam") {
    c.i++;
    return yearBody(c);
  }
  if (t.kind === "num") {
    c.i++;
    if (t.raw.length === 4) return yearFirst(c, Number(t.raw));
    if (t.raw.length > 2 || !(defaultKind === "month" || defaultKind === "quarter" || defaultKind === "half" || defaultKind === "week")) return undefined;
    return fixed(defaultKind, Number(t.raw), readYear(c));
  }
  // A bare Roman numeral only when a quarter is what the bot asked for ("IV/2025").
  const roman = w ? romanValue(w) : undefined;
  if (roman !== undefined && defaultKind === "quarter") {
    c.i++;
    return fixed("quarter", roman, readYear(c));
  }
  return undefined;
}

/** Drops "dạ", "báo cáo", "cho" before and "ạ", "nhé", "giúp em" after: "dạ cho em quý 3 ạ". */
function stripFillers(tokens: PeriodToken[]): PeriodToken[] {
  let start = 0;
  for (let again = true; again; ) {
    again = false;
    for (const words of LEADING_FILLERS) {
      if (words.every((w, k) => tokens[start + k]?.fold === w)) {
        start += words.length;
        again = true;
      }
    }
  }
  let end = tokens.length;
  while (end > start && tokens[end - 1]!.kind === "word" && TRAILING_FILLERS.has(tokens[end - 1]!.fold)) end--;
  return tokens.slice(start, end);
}

/** Resolves a spec against the local calendar; undefined for "tháng 13", "quý 5". */
function resolve(spec: Spec, now: Date, current: Period): Period | undefined {
  const [curYear, curMonth] = localDate(now).split("-").map(Number) as [number, number];
  const withYear = (p: Period, year: YearSpec | undefined, defaultRel = 0): Period => {
    if (!year) return defaultRel ? { ...p, year: p.year + defaultRel } : p;
    return { ...p, year: "abs" in year ? year.abs : p.year + year.rel };
  };
  let p: Period;
  switch (spec.type) {
    case "fixed": {
      if (spec.year) {
        p = { kind: spec.kind, year: "abs" in spec.year ? spec.year.abs : curYear + spec.year.rel, index: spec.index };
        break;
      }
      if (spec.kind === "week") {
        // No year: this year's week if it has begun, else last year's ("tuần 52" typed on 3 January).
        const today = localDate(now);
        const thisYear = weekOfDate(today).year;
        const candidate: Period = { kind: "week", year: thisYear, index: spec.index };
        p = isValidPeriod(candidate) && datedRange(candidate).start <= today ? candidate : { ...candidate, year: thisYear - 1 };
        break;
      }
      // No year: the latest such period that has begun, allowing ND 09's head start of about a month.
      const candidate: Period = { kind: spec.kind, year: curYear, index: spec.index };
      if (!isValidPeriod(candidate)) return undefined;
      p = { ...candidate, year: firstMonthOf(candidate) > curMonth + 1 ? curYear - 1 : curYear };
      break;
    }
    case "relative":
      p = withYear(shiftPeriod(periodContainingDate(spec.kind, localDate(now)), spec.offset), spec.year);
      break;
    case "current":
      p = withYear(shiftPeriod(current, spec.offset), spec.year);
      break;
    case "same_period":
      p = withYear(current, spec.year, -1);
      break;
  }
  return isValidPeriod(p) ? p : undefined;
}

/**
 * Reads a period the way staff type it, with or without diacritics, in any case:
 * - months: "tháng 11/2026", "thang 11", "thg 10", "th10", "T10/26", "t.11", "10/2026", "10-2026", "2026-10",
 *   "tháng mười một", "tháng chạp", "tháng giêng", "tháng XII", "tháng 10 năm ngoái";
 * - quarters: "quý 3", "quí 3", "quy III/2026", "Q3/26", "QIV", "quý tư", "quý một năm nay", "2026 Q3";
 * - halves, nine months, years: "6 tháng đầu năm nay", "6 tháng cuối năm 2025", "nửa đầu năm", "9 tháng",
 *   "năm 2026", "năm 26", "cả năm", "2025";
 * - relative to today: "tháng này", "tháng trước", "tháng trước nữa", "tháng sau", "quý này", "quý trước",
 *   "năm nay", "năm ngoái", "năm trước", "năm kia"; relative to the period being collected: "kỳ này",
 *   "kỳ trước", "cùng kỳ năm ngoái" (or "cùng kỳ năm 2025");
 * - the machine keys the bot itself uses ("2026-M11", "2026-Q4").
 * Two-digit years are 20xx. A bare number is a period of `defaultKind` ("3" → quý 3 when quarters are asked);
 * a bare four-digit number is a year. "Tháng này" means the calendar month of today's local date.
 *
 * Without a year the latest such period that has begun is meant, allowing the one-month head start of ND 09
 * (tháng 12 is being collected from 15/11): the current local year, except that a period starting more than a
 * month after the current month is taken from last year. So "quý IV" typed in January 2027, when quý IV/2026
 * reports are still due, means 2026, while "tháng 11" in November means this November. Never next year.
 */
export function readPeriod(text: string, now: Date, opts: PeriodReadOptions = {}): PeriodReading {
  const defaultKind = opts.defaultKind ?? "month";
  const key = parsePeriodKey(text.trim().toUpperCase());
  if (key) return { ok: true, period: key };
  const tokens = stripFillers(tokenizePeriod(text));
  if (tokens.length === 0) return { ok: false, reason: "unreadable" };
  const c = new Cursor(tokens, hasDiacritics(tokens));
  const parsed = parseHead(c, defaultKind);
  if (!parsed || !c.done()) return { ok: false, reason: "unreadable" };
  const current = opts.current ?? periodContainingDate(isCalendarKind(defaultKind) || defaultKind === "week" ? defaultKind : "year", localDate(now));
  const found: Period[] = [];
  for (const spec of Array.isArray(parsed) ? parsed : [parsed]) {
    const p = resolve(spec, now, current);
    if (p && !found.some((f) => periodKey(f) === periodKey(p))) found.push(p);
  }
  if (found.length === 0) return { ok: false, reason: "unreadable" };
  if (found.length > 1) return { ok: false, reason: "ambiguous", candidates: found };
  return { ok: true, period: found[0]! };
}

/**
 * `readPeriod` for callers that only need the period: undefined for anything unreadable or ambiguous
 * ("tháng 13", "quý 5", "abc"); the caller then asks again.
 */
export function parsePeriodLabel(text: string, now: Date, defaultKind: PeriodKind = "month"): Period | undefined {
  const r = readPeriod(text, now, { defaultKind });
  return r.ok ? r.period : undefined;
}
