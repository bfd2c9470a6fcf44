// Local time in Vietnam, the one way the bot reads and writes it. Asia/Ho_Chi_Minh is UTC+7 all year (no
// daylight saving), but every conversion goes through the zone database anyway so nothing here assumes it.
// "Dates" are local calendar dates written "YYYY-MM-DD": a commune officer's "ngày 16" is a wall-calendar day,
// and computing it in UTC on a server is off by one for seven hours every evening (17:00 UTC is already
// tomorrow in Vietnam). Plain strings also compare correctly with `<` and survive JSON and SQLite untouched.
import { TZDate, tz } from "@date-fns/tz";
import { differenceInCalendarDays, format, getDaysInMonth } from "date-fns";

export const TIME_ZONE = "Asia/Ho_Chi_Minh";

const inVietnam = tz(TIME_ZONE);

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

/** Days in a calendar month (February of a leap year has 29). */
export function daysInMonth(year: number, month: number): number {
  return getDaysInMonth(new TZDate(year, month - 1, 1, TIME_ZONE));
}

/** Today's date on a Vietnamese wall calendar. 2026-11-24T17:30:00Z is already 2026-11-25 there. */
export function localDate(at: Date | number): string {
  return format(at, "yyyy-MM-dd", { in: inVietnam });
}

/** Minutes since local midnight of an instant (quiet hours, reminder times). */
export function localMinutes(at: Date | number): number {
  const [h, m] = format(at, "HH:mm", { in: inVietnam }).split(":").map(Number);
  return h! * 60 + m!;
}

/** "08:30" → 510. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

/** The instant (epoch ms) of a local date at a local wall-clock time ("08:00"); midnight by default. */
export function localInstant(date: string, hhmm = "00:00"): number {
  return parseLocalDate(date).getTime() + minutesOf(hhmm) * 60_000;
}

/** Wall-clock time "09:05" of an instant. */
export function formatClock(at: Date | number): string {
  return format(at, "HH:mm", { in: inVietnam });
}

/** "24/11 09:15": day, month and time of an instant, for a short audit trail in a chat. */
export function formatDayClock(at: Date | number): string {
  return format(at, "dd/MM HH:mm", { in: inVietnam });
}

/** "24/11/2026 09:15": date and time of an instant, as a clerk reads it on the wall clock. */
export function formatDateTime(at: Date | number): string {
  return format(at, "dd/MM/yyyy HH:mm", { in: inVietnam });
}

/**
 * Document style date "ngày 06 tháng 02 năm 2024" (two-digit day and month, as in administrative documents).
 * Accepts an instant (converted to the local date) or an already local "YYYY-MM-DD".
 */
export function formatDocDate(at: Date | string): string {
  const date = typeof at === "string" ? at : localDate(at);
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

/** The local date `days` days after (or before) a local date. */
export function addDays(date: string, days: number): string {
  return localDate(parseLocalDate(date).getTime() + days * 86_400_000 + 12 * 3_600_000);
}
