// Local time in Vietnam, whatever zone the server runs in.
import { describe, expect, it } from "vitest";
import { TZDate } from "@date-fns/tz";
import { addDays, daysBetween, daysInMonth, formatChatDate, formatClock, formatDateTime, formatDayClock, formatDocDate, formatShortDate, localDate, localInstant, localMinutes, minutesOf, TIME_ZONE } from "../../src/core/local-time.js";

describe("local time", () => {
  it("is already tomorrow in Vietnam at 17:30 UTC", () => {
    const at = new Date("2026-11-24T17:30:00Z");
    expect(localDate(at)).toBe("2026-11-25");
    expect(localMinutes(at)).toBe(30);
    expect(formatClock(at)).toBe("00:30");
    expect(formatDayClock(at)).toBe("25/11 00:30");
    expect(formatDateTime(at.getTime())).toBe("25/11/2026 00:30");
  });

  it("turns a local date and wall-clock time into the instant", () => {
    expect(new Date(localInstant("2026-11-16", "08:00")).toISOString()).toBe("2026-11-16T01:00:00.000Z");
    expect(new Date(localInstant("2026-01-01")).toISOString()).toBe("2025-12-31T17:00:00.000Z");
    expect(minutesOf("21:30")).toBe(1290);
  });

  it("counts days across month and year ends", () => {
    expect(addDays("2026-11-30", 1)).toBe("2026-12-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2026-11-16", 0)).toBe("2026-11-16");
  });
});

describe("local time against the zone database", () => {
  // The module reads Vietnam's wall clock as UTC+7 (fixed since 1975); the zone database must agree.
  const zoned = (ms: number) => new TZDate(ms, TIME_ZONE);
  const two = (n: number) => String(n).padStart(2, "0");

  it("agrees on the local date and wall clock of instants from 1976 to 2100", () => {
    const from = Date.UTC(1976, 0, 1);
    const to = Date.UTC(2100, 0, 1);
    // A stride that is no whole number of minutes or days lands on every time of day over the ~20,000 samples.
    const wrong: string[] = [];
    for (let ms = from; ms < to; ms += 193_939_391) {
      const z = zoned(ms);
      const want = `${z.getFullYear()}-${two(z.getMonth() + 1)}-${two(z.getDate())} ${two(z.getHours())}:${two(z.getMinutes())}`;
      const got = `${localDate(ms)} ${formatClock(ms)}`;
      if (got !== want || localMinutes(ms) !== z.getHours() * 60 + z.getMinutes()) wrong.push(`${new Date(ms).toISOString()}: ${got} ≠ ${want}`);
    }
    expect(wrong).toEqual([]);
  });

  it("agrees on the instant of a local date and time, and on calendar arithmetic", () => {
    for (let day = Date.UTC(1976, 0, 1); day < Date.UTC(2100, 0, 1); day += 86_400_000 * 37) {
      const z = zoned(day);
      const date = `${z.getFullYear()}-${two(z.getMonth() + 1)}-${two(z.getDate())}`;
      const midnight = new TZDate(z.getFullYear(), z.getMonth(), z.getDate(), TIME_ZONE).getTime();
      expect(localInstant(date)).toBe(midnight);
      expect(localInstant(date, "08:30")).toBe(midnight + 510 * 60_000);
      expect(daysInMonth(z.getFullYear(), z.getMonth() + 1)).toBe(new TZDate(z.getFullYear(), z.getMonth() + 1, 0, TIME_ZONE).getDate());
      expect(addDays(date, 45)).toBe(localDate(midnight + 45 * 86_400_000 + 12 * 3_600_000));
      expect(daysBetween(date, addDays(date, -400))).toBe(-400);
    }
  });

  it("formats and validates local dates as documents and chats write them", () => {
    expect(formatDocDate("2024-02-06")).toBe("ngày 06 tháng 02 năm 2024");
    expect(formatDocDate(new Date("2026-11-24T17:30:00Z"))).toBe("ngày 25 tháng 11 năm 2026");
    expect(formatChatDate("2024-02-06")).toBe("06/02/2024");
    expect(formatShortDate("2026-11-16")).toBe("16/11");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2100-02-28", 1)).toBe("2100-03-01");
    expect(() => formatChatDate("2026-02-30")).toThrow(RangeError);
    expect(() => addDays("2026-13-01", 1)).toThrow(RangeError);
    expect(() => localDate(Number.NaN)).toThrow(RangeError);
  });
});
