// Weeks, campaigns and rounds: keys, labels, ranges, deadlines, reading, previous and roll-ups.
import { describe, expect, it } from "vitest";
import {
  campaignOf,
  deadlineOf,
  isoWeeksInYear,
  noRound,
  nextPeriod,
  openPeriod,
  parsePeriodKey,
  periodFileLabel,
  periodKey,
  periodLabel,
  periodRange,
  previousPeriod,
  readPeriod,
  samePeriodLastYear,
  weekOfDate,
  type Period,
} from "../../src/core/periods.js";
import { memberKeys } from "../../src/core/forms/form-periods.js";
import { periodSchema } from "../../src/core/forms/schema.js";
import type { FormDef } from "../../src/core/forms/schema.js";

/** memberPeriods reads only the form's period. */
const testForm = (f: { period: unknown }): FormDef => ({ ...f, period: periodSchema.parse(f.period) }) as unknown as FormDef;

/** Noon in Hà Nội on a local date. */
const at = (date: string): Date => new Date(`${date}T05:00:00Z`);
const POOR_FUND = { start: "10-17", end: "11-18", title: "Tháng cao điểm “Vì người nghèo”" };

describe("weeks (ISO, Monday–Sunday)", () => {
  it("keys, labels and file labels", () => {
    const w = weekOfDate("2026-12-01");
    expect(periodKey(w)).toBe("2026-W49");
    expect(periodLabel(w)).toBe("tuần 49/2026 (30/11–06/12)");
    expect(periodFileLabel(w)).toBe("tuan-49-2026");
    expect(parsePeriodKey("2026-W49")).toEqual(w);
    expect(parsePeriodKey("2026-W54")).toBeUndefined();
  });
  it("belong to the ISO year of their Thursday", () => {
    expect(periodKey(weekOfDate("2027-01-01"))).toBe("2026-W53");
    expect(periodKey(weekOfDate("2026-01-01"))).toBe("2026-W01");
    expect(periodLabel(weekOfDate("2026-01-01"))).toBe("tuần 1/2026 (29/12/2025–04/01/2026)");
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2027)).toBe(52);
  });
  it("range, deadline, previous and same week last year", () => {
    const w = weekOfDate("2026-12-01");
    expect(periodRange(w, "nd09")).toEqual({ start: "2026-11-30", end: "2026-12-06" });
    expect(deadlineOf(w, { daysAfterEnd: 1 })).toBe("2026-12-07");
    expect(periodKey(previousPeriod(weekOfDate("2026-01-01")))).toBe("2025-W52");
    expect(periodKey(nextPeriod(weekOfDate("2027-01-01")))).toBe("2027-W01");
    expect(periodKey(samePeriodLastYear(weekOfDate("2027-01-01")))).toBe("2025-W52");
  });
  it("the open week moves on the day after its deadline", () => {
    expect(periodKey(openPeriod("week", { daysAfterEnd: 1 }, at("2026-11-30")))).toBe("2026-W48");
    expect(periodKey(openPeriod("week", { daysAfterEnd: 1 }, at("2026-12-01")))).toBe("2026-W49");
  });
  it("reads what people type", () => {
    const now = at("2026-12-01");
    const read = (t: string) => {
      const r = readPeriod(t, now, { defaultKind: "week" });
      return r.ok ? periodKey(r.period) : r.reason;
    };
    expect(read("tuần này")).toBe("2026-W49");
    expect(read("tuần trước")).toBe("2026-W48");
    expect(read("tuần sau")).toBe("2026-W50");
    expect(read("tuần 49")).toBe("2026-W49");
    expect(read("tuan 49/2026")).toBe("2026-W49");
    expect(read("tuần 10 năm ngoái")).toBe("2025-W10");
    expect(read("W49")).toBe("2026-W49");
    expect(read("49")).toBe("2026-W49");
    expect(read("tuần 60")).toBe("unreadable");
    // A week not begun yet this year is last year's.
    const jan = readPeriod("tuần 52", at("2027-01-02"));
    expect(jan.ok && periodKey(jan.period)).toBe("2026-W52");
  });
  it("a weekly form's month is the weeks ending in it", () => {
    const form = testForm({ period: { kind: "week", cutoff: "calendar", deadline: { days_after_end: 1 } } });
    expect(memberKeys(form, { kind: "month", year: 2026, index: 11 })).toEqual(["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]);
    expect(memberKeys(form, { kind: "month", year: 2026, index: 12 })![0]).toBe("2026-W49");
    expect(memberKeys(form, { kind: "year", year: 2026, index: 1 })).toHaveLength(52);
  });
});

describe("campaigns (fixed day-months every year)", () => {
  const c = campaignOf(POOR_FUND, 2026);
  it("keys, labels, ranges and deadlines", () => {
    expect(periodKey(c)).toBe("2026-C");
    expect(periodLabel(c)).toBe("Tháng cao điểm “Vì người nghèo” năm 2026 (17/10–18/11)");
    expect(periodFileLabel(c)).toBe("thang-cao-diem-vi-nguoi-ngheo-2026");
    expect(periodRange(c, "nd09")).toEqual({ start: "2026-10-17", end: "2026-11-18" });
    expect(deadlineOf(c, { daysAfterEnd: 5 })).toBe("2026-11-23");
    expect(periodKey(previousPeriod(c))).toBe("2025-C");
    expect(periodLabel(samePeriodLastYear(c))).toBe("Tháng cao điểm “Vì người nghèo” năm 2025 (17/10–18/11)");
  });
  it("a window across the new year ends in the next year", () => {
    const winter = campaignOf({ start: "12-15", end: "01-15", title: "Đợt Tết" }, 2026);
    expect(periodRange(winter, "calendar")).toEqual({ start: "2026-12-15", end: "2027-01-15" });
  });
  it("is this year's until its deadline, then next year's", () => {
    expect(periodKey(openPeriod("campaign", { daysAfterEnd: 5 }, at("2026-11-23"), POOR_FUND))).toBe("2026-C");
    expect(periodKey(openPeriod("campaign", { daysAfterEnd: 5 }, at("2026-11-24"), POOR_FUND))).toBe("2027-C");
  });
  it("a campaign form's year is that year's campaign", () => {
    const form = testForm({ period: { kind: "campaign", cutoff: "calendar", deadline: { days_after_end: 5 }, campaign: { start: "17/10", end: "18/11", title: "Tháng cao điểm" } } });
    expect(memberKeys(form, { kind: "year", year: 2026, index: 1 })).toEqual(["2026-C"]);
    expect(memberKeys(form, { kind: "month", year: 2026, index: 10 })).toBeUndefined();
  });
});

describe("rounds (opened by staff)", () => {
  const first: Period = { kind: "round", year: 2026, index: 3, round: { name: "Tiếp xúc cử tri trước kỳ họp thứ 4", start: "2026-06-01", end: "2026-06-10" } };
  const r: Period = { kind: "round", year: 2026, index: 12, round: { name: "Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã", start: "2026-12-01", end: "2026-12-10", previous: first } };
  it("keys, labels with dates, ranges and deadlines after the end", () => {
    expect(periodKey(r)).toBe("R12");
    expect(periodLabel(r)).toBe("Tiếp xúc cử tri trước kỳ họp thứ 5 HĐND xã (01/12–10/12)");
    expect(periodFileLabel(r)).toBe("dot-12-tiep-xuc-cu-tri-truoc-ky-hop-thu-5-hdnd");
    expect(periodRange(r, "nd09")).toEqual({ start: "2026-12-01", end: "2026-12-10" });
    expect(deadlineOf(r, { daysAfterEnd: 3 })).toBe("2026-12-13");
  });
  it("the previous is the round before, else no round", () => {
    expect(periodKey(previousPeriod(r))).toBe("R3");
    expect(periodKey(previousPeriod(first))).toBe("R0");
    expect(periodKey(samePeriodLastYear(r))).toBe("R0");
    expect(periodKey(noRound(2026, "đợt trước"))).toBe("R0");
  });
  it("the clock opens none", () => {
    expect(() => openPeriod("round", { daysAfterEnd: 3 }, at("2026-12-01"))).toThrow(RangeError);
  });
});

describe("the form's period schema", () => {
  it("dated kinds count days after the end; calendar kinds a day of a month", () => {
    expect(periodSchema.safeParse({ kind: "week", deadline: { days_after_end: 1 } }).success).toBe(true);
    expect(periodSchema.safeParse({ kind: "week", deadline: { day: 5, month_offset: 1 } }).success).toBe(false);
    expect(periodSchema.safeParse({ kind: "month", cutoff: "nd09", deadline: { days_after_end: 1 } }).success).toBe(false);
  });
  it("a campaign declares its window; day-months must exist", () => {
    expect(periodSchema.safeParse({ kind: "campaign", deadline: { days_after_end: 5 } }).success).toBe(false);
    expect(periodSchema.safeParse({ kind: "campaign", deadline: { days_after_end: 5 }, campaign: { start: "17/10", end: "18/11", title: "T" } }).success).toBe(true);
    expect(periodSchema.safeParse({ kind: "campaign", deadline: { days_after_end: 5 }, campaign: { start: "31/11", end: "18/12", title: "T" } }).success).toBe(false);
  });
  it("a round may declare its default length", () => {
    const p = periodSchema.parse({ kind: "round", deadline: { days_after_end: 3 }, round: {} });
    expect(p.round).toEqual({ days: 7 });
  });
});
