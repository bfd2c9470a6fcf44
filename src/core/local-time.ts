// Local time in Vietnam, the one way the bot reads and writes it. "Dates" are local calendar dates written
// "YYYY-MM-DD": a commune officer's "ngày 16" is a wall-calendar day, and computing it in UTC on a server is off
// by one for seven hours every evening (17:00 UTC is already tomorrow in Vietnam). Plain strings also compare
// correctly with `<` and survive JSON and SQLite untouched.
//
// Asia/Ho_Chi_Minh has been UTC+7 all year, with no daylight saving, since 13 June 1975, so an instant's local
// wall clock is the instant plus seven hours read in UTC: exact for every instant the bot handles (its clock,
// stored times), and checked against the zone database in test/unit/local-time.test.ts. Calendar-date
// arithmetic (adding days, days between, days in a month) needs no zone at all. Both are plain integer
// arithmetic on the hot path of every update, where a zone lookup per call cost a tenth of the decision.

export const TIME_ZONE = "Asia/Ho_Chi_Minh";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Vietnam's offset from UTC (see above: fixed since 1975). */
const OFFSET_MS = 7 * HOUR_MS;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string => String(n).padStart(4, "0");

/** Epoch ms of UTC midnight of a calendar day (years 0–99 are taken literally, not as 19xx). */
function utcMidnight(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  return d.getTime();
}

/** The calendar day of a UTC-read instant, "YYYY-MM-DD". */
function utcDateString(ms: number): string {
  const d = new Date(ms);
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** The instant shifted to Vietnam's wall clock, to be read with the UTC getters; rejects an invalid time. */
function wallClock(at: Date | number): Date {
  const ms = typeof at === "number" ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("Invalid time value");
  return new Date(ms + OFFSET_MS);
}

/** Parses "YYYY-MM-DD" into the epoch ms of its UTC midnight; rejects impossible dates such as 2026-02-30. */
function parseLocalDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) return utcMidnight(year, month, day);
  }
  throw new RangeError(`Invalid local date (expected YYYY-MM-DD): ${date}`);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in a calendar month (February of a leap year has 29). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return MONTH_DAYS[month - 1]!;
}

/** Today's date on a Vietnamese wall calendar. 2026-11-24T17:30:00Z is already 2026-11-25 there. */
export function localDate(at: Date | number): string {
  return utcDateString(wallClock(at).getTime());
}

/** Minutes since local midnight of an instant (quiet hours, reminder times). */
export function localMinutes(at: Date | number): number {
  const d = wallClock(at);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

/** "08:30" → 510. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

/** The instant (epoch ms) of a local date at a local wall-clock time ("08:00"); midnight by default. */
export function localInstant(date: string, hhmm = "00:00"): number {
  return parseLocalDate(date) - OFFSET_MS + minutesOf(hhmm) * 60_000;
}

/** Wall-clock time "09:05" of an instant. */
export function formatClock(at: Date | number): string {
  const d = wallClock(at);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** "24/11 09:15": day, month and time of an instant, for a short audit trail in a chat. */
export function formatDayClock(at: Date | number): string {
  const d = wallClock(at);
  return `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** "24/11/2026 09:15": date and time of an instant, as a clerk reads it on the wall clock. */
export function formatDateTime(at: Date | number): string {
  const d = wallClock(at);
  return `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${pad4(d.getUTCFullYear())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** The day, month and year of a valid local date, as written. */
function partsOf(date: string): { day: string; month: string; year: string } {
  parseLocalDate(date);
  return { year: date.slice(0, 4), month: date.slice(5, 7), day: date.slice(8, 10) };
}

/**
 * Document style date "ngày 06 tháng 02 năm 2024" (two-digit day and month, as in administrative documents).
 * Accepts an instant (converted to the local date) or an already local "YYYY-MM-DD".
 */
export function formatDocDate(at: Date | string): string {
  const { day, month, year } = partsOf(typeof at === "string" ? at : localDate(at));
  return `ngày ${day} tháng ${month} năm ${year}`;
}

/** Chat style "06/02/2024". */
export function formatChatDate(date: string): string {
  const { day, month, year } = partsOf(date);
  return `${day}/${month}/${year}`;
}

/** Short "16/11" for reminders where the year is obvious. */
export function formatShortDate(date: string): string {
  const { day, month } = partsOf(date);
  return `${day}/${month}`;
}

/** Whole days from `fromDate` to `toDate` (negative when `toDate` is earlier); both local "YYYY-MM-DD". */
export function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((parseLocalDate(toDate) - parseLocalDate(fromDate)) / DAY_MS);
}

/** The local date `days` days after (or before) a local date. */
export function addDays(date: string, days: number): string {
  return utcDateString(parseLocalDate(date) + days * DAY_MS);
}
