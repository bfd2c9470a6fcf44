import { describe, expect, it } from "vitest";
import { type Period, type PeriodKind, deadlineOf, isValidPeriod, lastMonthOf, monthsOf, nextPeriod, openPeriod, parsePeriodKey, parsePeriodLabel, periodContains, periodWindow, readPeriod, withinWindow, periodFileLabel, periodKey, periodLabel, periodRange, previousPeriod, samePeriodLastYear } from "../../src/core/periods.js";
import { daysBetween, formatChatDate, formatDocDate, formatShortDate, localDate } from "../../src/core/local-time.js";

const month = (year: number, index: number): Period => ({ kind: "month", year, index });
const quarter = (year: number, index: number): Period => ({ kind: "quarter", year, index });
const half = (year: number, index: number): Period => ({ kind: "half", year, index });
const nine = (year: number): Period => ({ kind: "nine_months", year, index: 1 });
const year = (y: number): Period => ({ kind: "year", year: y, index: 1 });

/** An instant given as a Vietnamese wall-clock time, so tests read like what a user experiences. */
const vn = (local: string): Date => new Date(`${local}+07:00`);

describe("keys", () => {
  const cases: Array<[Period, string]> = [
    [month(2026, 11), "2026-M11"],
    [month(2026, 1), "2026-M1"],
    [quarter(2026, 4), "2026-Q4"],
    [half(2026, 1), "2026-H1"],
    [half(2026, 2), "2026-H2"],
    [nine(2026), "2026-9M"],
    [year(2026), "2026-Y"],
  ];
  it.each(cases)("%o ⇄ %s", (p, key) => {
    expect(periodKey(p)).toBe(key);
    expect(parsePeriodKey(key)).toEqual(p);
  });

  it("rejects keys it would never produce", () => {
    for (const bad of ["2026-M13", "2026-M0", "2026-Q5", "2026-H3", "26-M1", "2026-X", "", "2026-M11x"]) {
      expect(parsePeriodKey(bad), bad).toBeUndefined();
    }
  });

  it("refuses to key an invalid period instead of writing garbage", () => {
    expect(isValidPeriod(month(2026, 13))).toBe(false);
    expect(() => periodKey(month(2026, 13))).toThrow(RangeError);
    expect(() => periodKey({ kind: "nine_months", year: 2026, index: 2 })).toThrow(RangeError);
  });
});

describe("labels", () => {
  const cases: Array<[Period, string, string]> = [
    [month(2026, 11), "tháng 11/2026", "thang-11-2026"],
    [month(2026, 2), "tháng 2/2026", "thang-2-2026"],
    [quarter(2026, 1), "quý I/2026", "quy-I-2026"],
    [quarter(2026, 2), "quý II/2026", "quy-II-2026"],
    [quarter(2026, 3), "quý III/2026", "quy-III-2026"],
    [quarter(2026, 4), "quý IV/2026", "quy-IV-2026"],
    [half(2026, 1), "6 tháng đầu năm 2026", "6-thang-dau-nam-2026"],
    [half(2026, 2), "6 tháng cuối năm 2026", "6-thang-cuoi-nam-2026"],
    [nine(2026), "9 tháng năm 2026", "9-thang-nam-2026"],
    [year(2026), "năm 2026", "nam-2026"],
  ];
  it.each(cases)("%o → %s / %s", (p, label, file) => {
    expect(periodLabel(p)).toBe(label);
    expect(periodFileLabel(p)).toBe(file);
    expect(periodFileLabel(p)).toMatch(/^[A-Za-z0-9-]+$/);
  });

  it("every label reads back as the same period", () => {
    const now = vn("2026-12-20T10:00:00");
    for (const [p, label] of cases) expect(parsePeriodLabel(label, now), label).toEqual(p);
  });
});

describe("periodRange", () => {
  it("calendar rule uses natural boundaries, including leap February", () => {
    expect(periodRange(month(2026, 11), "calendar")).toEqual({ start: "2026-11-01", end: "2026-11-30" });
    expect(periodRange(month(2024, 2), "calendar")).toEqual({ start: "2024-02-01", end: "2024-02-29" });
    expect(periodRange(month(2026, 2), "calendar")).toEqual({ start: "2026-02-01", end: "2026-02-28" });
    expect(periodRange(quarter(2026, 4), "calendar")).toEqual({ start: "2026-10-01", end: "2026-12-31" });
    expect(periodRange(half(2026, 1), "calendar")).toEqual({ start: "2026-01-01", end: "2026-06-30" });
    expect(periodRange(half(2026, 2), "calendar")).toEqual({ start: "2026-07-01", end: "2026-12-31" });
    expect(periodRange(nine(2026), "calendar")).toEqual({ start: "2026-01-01", end: "2026-09-30" });
    expect(periodRange(year(2026), "calendar")).toEqual({ start: "2026-01-01", end: "2026-12-31" });
  });

  it("nd09 rule follows Điều 12, with the year rollover for January and the first quarter", () => {
    expect(periodRange(month(2026, 11), "nd09")).toEqual({ start: "2026-10-15", end: "2026-11-14" });
    expect(periodRange(month(2026, 1), "nd09")).toEqual({ start: "2025-12-15", end: "2026-01-14" });
    expect(periodRange(month(2026, 12), "nd09")).toEqual({ start: "2026-11-15", end: "2026-12-14" });
    expect(periodRange(quarter(2026, 1), "nd09")).toEqual({ start: "2025-12-15", end: "2026-03-14" });
    expect(periodRange(quarter(2026, 4), "nd09")).toEqual({ start: "2026-09-15", end: "2026-12-14" });
    expect(periodRange(half(2026, 1), "nd09")).toEqual({ start: "2025-12-15", end: "2026-06-14" });
    expect(periodRange(half(2026, 2), "nd09")).toEqual({ start: "2026-06-15", end: "2026-12-14" });
    expect(periodRange(nine(2026), "nd09")).toEqual({ start: "2025-12-15", end: "2026-09-14" });
    expect(periodRange(year(2026), "nd09")).toEqual({ start: "2025-12-15", end: "2026-12-14" });
  });

  it("consecutive nd09 months tile without gap or overlap", () => {
    let p = month(2025, 1);
    for (let i = 0; i < 24; i++) {
      const next = nextPeriod(p);
      expect(daysBetween(periodRange(p, "nd09").end, periodRange(next, "nd09").start)).toBe(1);
      p = next;
    }
  });
});

describe("deadlines", () => {
  it("counts from the last month of the period", () => {
    expect(lastMonthOf(month(2026, 11))).toEqual({ year: 2026, month: 11 });
    expect(lastMonthOf(quarter(2026, 3))).toEqual({ year: 2026, month: 9 });
    expect(lastMonthOf(half(2026, 1))).toEqual({ year: 2026, month: 6 });
    expect(lastMonthOf(nine(2026))).toEqual({ year: 2026, month: 9 });
    expect(lastMonthOf(year(2026))).toEqual({ year: 2026, month: 12 });
    expect(deadlineOf(quarter(2026, 4), { day: 16, monthOffset: 0 })).toBe("2026-12-16");
    expect(deadlineOf(month(2026, 11), { day: 5, monthOffset: 1 })).toBe("2026-12-05");
  });

  it("rolls into the next year", () => {
    expect(deadlineOf(month(2026, 12), { day: 5, monthOffset: 1 })).toBe("2027-01-05");
    expect(deadlineOf(year(2026), { day: 10, monthOffset: 1 })).toBe("2027-01-10");
  });

  it("clamps day 31 to the end of shorter months", () => {
    expect(deadlineOf(month(2026, 2), { day: 31, monthOffset: 0 })).toBe("2026-02-28");
    expect(deadlineOf(month(2024, 2), { day: 31, monthOffset: 0 })).toBe("2024-02-29");
    expect(deadlineOf(month(2026, 1), { day: 31, monthOffset: 1 })).toBe("2026-02-28");
    expect(deadlineOf(month(2026, 4), { day: 31, monthOffset: 0 })).toBe("2026-04-30");
  });

  it("rejects a nonsensical spec", () => {
    expect(() => deadlineOf(month(2026, 1), { day: 0, monthOffset: 0 })).toThrow(RangeError);
    expect(() => deadlineOf(month(2026, 1), { day: 1.5, monthOffset: 0 })).toThrow(RangeError);
  });
});

describe("localDate and the 17:00 UTC boundary", () => {
  it("switches day at 17:00 UTC, not at UTC midnight", () => {
    expect(localDate(new Date("2026-11-24T16:59:59Z"))).toBe("2026-11-24");
    expect(localDate(new Date("2026-11-24T17:00:00Z"))).toBe("2026-11-25");
    expect(localDate(new Date("2026-11-24T17:30:00Z"))).toBe("2026-11-25");
  });

  it("rolls the year at 17:00 UTC on 31 December", () => {
    expect(localDate(new Date("2026-12-31T16:59:59Z"))).toBe("2026-12-31");
    expect(localDate(new Date("2026-12-31T17:00:00Z"))).toBe("2027-01-01");
  });
});

describe("openPeriod", () => {
  const due16 = { day: 16, monthOffset: 0 };
  const due5Next = { day: 5, monthOffset: 1 };

  it("month due on the 16th", () => {
    expect(openPeriod("month", due16, vn("2026-11-10T09:00:00"))).toEqual(month(2026, 11));
    expect(openPeriod("month", due16, vn("2026-11-16T23:59:00"))).toEqual(month(2026, 11));
    expect(openPeriod("month", due16, vn("2026-11-17T00:00:00"))).toEqual(month(2026, 12));
  });

  it("uses the Vietnamese date around 17:00 UTC", () => {
    // 16:59 UTC on the 16th is still 23:59 on the deadline day in Vietnam...
    expect(openPeriod("month", due16, new Date("2026-11-16T16:59:00Z"))).toEqual(month(2026, 11));
    // ...and one minute later it is the 17th there, so the next month is open.
    expect(openPeriod("month", due16, new Date("2026-11-16T17:00:00Z"))).toEqual(month(2026, 12));
  });

  it("keeps the previous month open when the deadline falls in the following month", () => {
    expect(openPeriod("month", due5Next, vn("2026-12-03T08:00:00"))).toEqual(month(2026, 11));
    expect(openPeriod("month", due5Next, vn("2026-12-05T20:00:00"))).toEqual(month(2026, 11));
    expect(openPeriod("month", due5Next, vn("2026-12-06T08:00:00"))).toEqual(month(2026, 12));
    expect(openPeriod("month", due5Next, vn("2027-01-04T08:00:00"))).toEqual(month(2026, 12));
  });

  it("works for longer kinds and across the year", () => {
    expect(openPeriod("quarter", due16, vn("2026-12-17T08:00:00"))).toEqual(quarter(2027, 1));
    expect(openPeriod("quarter", due5Next, vn("2027-01-02T08:00:00"))).toEqual(quarter(2026, 4));
    expect(openPeriod("half", due16, vn("2026-06-20T08:00:00"))).toEqual(half(2026, 2));
    expect(openPeriod("nine_months", due16, vn("2026-10-01T08:00:00"))).toEqual(nine(2027));
    expect(openPeriod("nine_months", due16, vn("2026-09-16T08:00:00"))).toEqual(nine(2026));
    expect(openPeriod("year", due16, vn("2026-03-01T08:00:00"))).toEqual(year(2026));
    expect(openPeriod("year", due5Next, vn("2027-01-05T08:00:00"))).toEqual(year(2026));
  });
});

describe("navigation", () => {
  it("previous and next cross the year boundary", () => {
    expect(previousPeriod(month(2026, 1))).toEqual(month(2025, 12));
    expect(nextPeriod(month(2025, 12))).toEqual(month(2026, 1));
    expect(previousPeriod(quarter(2026, 1))).toEqual(quarter(2025, 4));
    expect(nextPeriod(quarter(2026, 4))).toEqual(quarter(2027, 1));
    expect(nextPeriod(half(2026, 1))).toEqual(half(2026, 2));
    expect(nextPeriod(half(2026, 2))).toEqual(half(2027, 1));
    expect(previousPeriod(nine(2026))).toEqual(nine(2025));
    expect(nextPeriod(year(2026))).toEqual(year(2027));
  });

  it("same period last year", () => {
    expect(samePeriodLastYear(quarter(2026, 4))).toEqual(quarter(2025, 4));
    expect(samePeriodLastYear(month(2026, 1))).toEqual(month(2025, 1));
  });
});

describe("months and containment", () => {
  it("lists covered months", () => {
    expect(monthsOf(month(2026, 5))).toEqual([month(2026, 5)]);
    expect(monthsOf(quarter(2026, 4))).toEqual([month(2026, 10), month(2026, 11), month(2026, 12)]);
    expect(monthsOf(half(2026, 2)).map((p) => p.index)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(monthsOf(nine(2026))).toHaveLength(9);
    expect(monthsOf(year(2026))).toHaveLength(12);
  });

  it("containment", () => {
    expect(periodContains(year(2026), quarter(2026, 3))).toBe(true);
    expect(periodContains(nine(2026), quarter(2026, 3))).toBe(true);
    expect(periodContains(nine(2026), quarter(2026, 4))).toBe(false);
    expect(periodContains(half(2026, 1), month(2026, 6))).toBe(true);
    expect(periodContains(half(2026, 1), month(2026, 7))).toBe(false);
    expect(periodContains(quarter(2026, 1), month(2025, 1))).toBe(false);
    expect(periodContains(month(2026, 3), quarter(2026, 1))).toBe(false);
    expect(periodContains(month(2026, 3), month(2026, 3))).toBe(true);
  });
});

describe("parsePeriodLabel", () => {
  const now = vn("2026-11-20T10:00:00");
  const cases: Array<[string, Period]> = [
    ["tháng 11/2026", month(2026, 11)],
    ["thang 11/2026", month(2026, 11)],
    ["THÁNG 11/2026", month(2026, 11)],
    ["Tháng 11 năm 2026", month(2026, 11)],
    ["tháng 11 - 2026", month(2026, 11)],
    ["t11/2026", month(2026, 11)],
    ["T11", month(2026, 11)],
    ["11/2026", month(2026, 11)],
    ["11", month(2026, 11)],
    ["tháng 11", month(2026, 11)],
    ["  tháng   3/2025. ", month(2025, 3)],
    ["quý 3", quarter(2026, 3)],
    ["quy III/2026", quarter(2026, 3)],
    ["Q3/2026", quarter(2026, 3)],
    ["quý IV", quarter(2026, 4)],
    ["QUÝ iv/2025", quarter(2025, 4)],
    ["6 tháng đầu năm", half(2026, 1)],
    ["6 thang dau nam 2026", half(2026, 1)],
    ["6 tháng cuối năm 2025", half(2025, 2)],
    ["6 tháng", half(2026, 1)],
    ["9 tháng", nine(2026)],
    ["9 thang nam 2026", nine(2026)],
    ["9 tháng đầu năm 2025", nine(2025)],
    ["năm 2026", year(2026)],
    ["nam 2025", year(2025)],
    ["cả năm", year(2026)],
    ["Cả năm 2025", year(2025)],
    ["năm nay", year(2026)],
    ["2025", year(2025)],
  ];
  it.each(cases)("%s", (text, expected) => {
    expect(parsePeriodLabel(text, now)).toEqual(expected);
  });

  it("returns undefined for nonsense", () => {
    for (const bad of [
      "tháng 13",
      "thang 0",
      "quý 5",
      "quy 0",
      "abc",
      "",
      "   ",
      "13/2026",
      "tháng 112026",
      "tháng 11/202",
      "quý IVX",
      "6 tháng giữa năm",
      "IV",
    ]) {
      expect(parsePeriodLabel(bad, now), bad).toBeUndefined();
    }
  });

  it("reads a bare number as the kind the bot just asked for", () => {
    const kinds: Array<[PeriodKind, string, Period | undefined]> = [
      ["quarter", "3", quarter(2026, 3)],
      ["quarter", "IV/2025", quarter(2025, 4)],
      ["quarter", "5", undefined],
      ["half", "2", half(2026, 2)],
      ["month", "3/2026", month(2026, 3)],
    ];
    for (const [kind, text, expected] of kinds) expect(parsePeriodLabel(text, now, kind), text).toEqual(expected);
  });

  it("takes the year from the Vietnamese date, not the UTC date", () => {
    // 17:30 UTC on 31/12/2026 is already 01/01/2027 in Vietnam.
    expect(parsePeriodLabel("năm nay", new Date("2026-12-31T17:30:00Z"))).toEqual(year(2027));
    expect(parsePeriodLabel("năm nay", new Date("2026-12-31T16:30:00Z"))).toEqual(year(2026));
  });

  it("without a year, means the latest period that has begun (never next year)", () => {
    const jan = vn("2027-01-04T09:00:00");
    // Quarter IV and December reports are still being collected in early January.
    expect(parsePeriodLabel("quý IV", jan)).toEqual(quarter(2026, 4));
    expect(parsePeriodLabel("tháng 12", jan)).toEqual(month(2026, 12));
    expect(parsePeriodLabel("6 tháng cuối năm", jan)).toEqual(half(2026, 2));
    expect(parsePeriodLabel("tháng 1", jan)).toEqual(month(2027, 1));
    expect(parsePeriodLabel("tháng 2", jan)).toEqual(month(2027, 2)); // ND 09 tháng 2 starts 15/01
    expect(parsePeriodLabel("cả năm", jan)).toEqual(year(2027));
    // In late November, ND 09 tháng 12 (15/11 .. 14/12) is already running.
    expect(parsePeriodLabel("tháng 12", now)).toEqual(month(2026, 12));
    // In December, next January is not meant; "cả năm" is this year.
    const dec = vn("2026-12-20T09:00:00");
    expect(parsePeriodLabel("tháng 1", dec)).toEqual(month(2026, 1));
    expect(parsePeriodLabel("cả năm", dec)).toEqual(year(2026));
  });
});

describe("readPeriod: periods as staff type them", () => {
  // Friday 20 November 2026, Vietnam time.
  const now = vn("2026-11-20T10:00:00");
  const read = (text: string, opts = {}) => {
    const r = readPeriod(text, now, opts);
    return r.ok ? periodLabel(r.period) : r.reason;
  };

  const typed: Array<[string, string]> = [
    // Short forms of months, with and without marks, any case.
    ["thg 10", "tháng 10/2026"],
    ["Thg 10/2026", "tháng 10/2026"],
    ["th10", "tháng 10/2026"],
    ["TH 10", "tháng 10/2026"],
    ["T10/26", "tháng 10/2026"],
    ["t10-26", "tháng 10/2026"],
    ["t.10", "tháng 10/2026"],
    ["tháng 07/2026", "tháng 7/2026"],
    ["thang 10 nam 26", "tháng 10/2026"],
    ["tháng 10, 2026", "tháng 10/2026"],
    ["tháng 10 2026", "tháng 10/2026"],
    // Numbers alone, in either order; ISO year-month.
    ["10/2026", "tháng 10/2026"],
    ["10-2026", "tháng 10/2026"],
    ["10.2026", "tháng 10/2026"],
    ["10/26", "tháng 10/2026"],
    ["2026-10", "tháng 10/2026"],
    ["2026/10", "tháng 10/2026"],
    ["2026-M10", "tháng 10/2026"],
    // Spelled months, the lunar names people use for January and December, Roman numerals.
    ["tháng một", "tháng 1/2026"],
    ["tháng giêng", "tháng 1/2026"],
    ["thang gieng 2027", "tháng 1/2027"],
    ["tháng hai", "tháng 2/2026"],
    ["tháng ba", "tháng 3/2026"],
    ["tháng tư", "tháng 4/2026"],
    ["thang bon", "tháng 4/2026"],
    ["tháng năm", "tháng 5/2026"],
    ["tháng sáu", "tháng 6/2026"],
    ["tháng bảy", "tháng 7/2026"],
    ["thang tam", "tháng 8/2026"],
    ["tháng chín", "tháng 9/2026"],
    ["tháng mười", "tháng 10/2026"],
    ["THÁNG MƯỜI MỘT", "tháng 11/2026"],
    ["thang muoi hai", "tháng 12/2026"],
    ["tháng chạp", "tháng 12/2026"],
    ["tháng chạp năm ngoái", "tháng 12/2025"],
    ["tháng XII/2025", "tháng 12/2025"],
    ["tháng IX", "tháng 9/2026"],
    // Quarters.
    ["quí 3", "quý III/2026"],
    ["qui 3/2026", "quý III/2026"],
    ["q3/26", "quý III/2026"],
    ["Q3 2026", "quý III/2026"],
    ["Q.3", "quý III/2026"],
    ["QIV/2025", "quý IV/2025"],
    ["qii", "quý II/2026"],
    ["quý III - 2026", "quý III/2026"],
    ["quý một", "quý I/2026"],
    ["quý nhất", "quý I/2026"],
    ["quy hai nam 2025", "quý II/2025"],
    ["quý ba", "quý III/2026"],
    ["quý tư", "quý IV/2026"],
    ["quy bon", "quý IV/2026"],
    ["2026 Q3", "quý III/2026"],
    ["2026-Q3", "quý III/2026"],
    // Halves, nine months, years.
    ["6 tháng đầu năm nay", "6 tháng đầu năm 2026"],
    ["6 thang dau nam ngoai", "6 tháng đầu năm 2025"],
    ["6t cuối năm 2025", "6 tháng cuối năm 2025"],
    ["sáu tháng đầu năm", "6 tháng đầu năm 2026"],
    ["sau thang cuoi nam", "6 tháng cuối năm 2026"],
    ["nửa đầu năm", "6 tháng đầu năm 2026"],
    ["nua cuoi nam 2025", "6 tháng cuối năm 2025"],
    ["nửa năm cuối", "6 tháng cuối năm 2026"],
    ["9 tháng đầu năm nay", "9 tháng năm 2026"],
    ["chín tháng năm 2025", "9 tháng năm 2025"],
    ["9T/2026", "9 tháng năm 2026"],
    ["năm 26", "năm 2026"],
    ["cả năm nay", "năm 2026"],
    // Relative to today's calendar.
    ["tháng này", "tháng 11/2026"],
    ["thang nay", "tháng 11/2026"],
    ["tháng hiện tại", "tháng 11/2026"],
    ["tháng trước", "tháng 10/2026"],
    ["thang truoc", "tháng 10/2026"],
    ["tháng rồi", "tháng 10/2026"],
    ["tháng vừa qua", "tháng 10/2026"],
    ["tháng trước nữa", "tháng 9/2026"],
    ["tháng sau", "tháng 12/2026"],
    ["thang toi", "tháng 12/2026"],
    ["tháng này năm ngoái", "tháng 11/2025"],
    ["quý này", "quý IV/2026"],
    ["quý trước", "quý III/2026"],
    ["quy truoc", "quý III/2026"],
    ["quý sau", "quý I/2027"],
    ["quy sau", "quý I/2027"],
    ["năm nay", "năm 2026"],
    ["năm ngoái", "năm 2025"],
    ["nam ngoai", "năm 2025"],
    ["năm trước", "năm 2025"],
    ["năm rồi", "năm 2025"],
    ["năm kia", "năm 2024"],
    ["năm sau", "năm 2027"],
    ["quý 3 năm ngoái", "quý III/2025"],
    // Relative to the period being collected (default: this month).
    ["kỳ này", "tháng 11/2026"],
    ["kỳ trước", "tháng 10/2026"],
    ["cùng kỳ năm ngoái", "tháng 11/2025"],
    ["cung ky nam truoc", "tháng 11/2025"],
    ["cùng kỳ", "tháng 11/2025"],
    ["cùng kỳ năm 2024", "tháng 11/2024"],
    // Courtesy around the period.
    ["dạ, quý 3 ạ", "quý III/2026"],
    ["kỳ tháng 10", "tháng 10/2026"],
    ["báo cáo năm nay nhé", "năm 2026"],
    ["tháng 10 giúp em", "tháng 10/2026"],
  ];
  it.each(typed)("%s → %s", (text, label) => {
    expect(read(text)).toBe(label);
  });

  it("counts 'kỳ này', 'kỳ trước' and 'cùng kỳ' from the period being collected", () => {
    const current = { kind: "month" as const, year: 2026, index: 12 };
    expect(read("kỳ này", { current })).toBe("tháng 12/2026");
    expect(read("ky truoc", { current })).toBe("tháng 11/2026");
    expect(read("cùng kỳ năm ngoái", { current })).toBe("tháng 12/2025");
    expect(read("kỳ trước", { current: quarter(2027, 1) })).toBe("quý IV/2026");
  });

  it("relative words follow the Vietnamese date, across the year", () => {
    const jan = vn("2027-01-03T09:00:00");
    expect(periodLabel((readPeriod("tháng trước", jan) as { period: Period }).period)).toBe("tháng 12/2026");
    expect(periodLabel((readPeriod("quý trước", jan) as { period: Period }).period)).toBe("quý IV/2026");
    expect(periodLabel((readPeriod("năm ngoái", jan) as { period: Period }).period)).toBe("năm 2026");
    // 17:30 UTC on 31/12/2026 is already January in Vietnam.
    expect(periodLabel((readPeriod("tháng này", new Date("2026-12-31T17:30:00Z")) as { period: Period }).period)).toBe("tháng 1/2027");
  });

  it("asks which one is meant when 'sau' has no marks: tháng sáu (June) or tháng sau (next month)", () => {
    const r = readPeriod("thang sau", now);
    expect(r).toEqual({ ok: false, reason: "ambiguous", candidates: [month(2026, 6), month(2026, 12)] });
    // With marks anywhere, the marks decide.
    expect(read("tháng sau")).toBe("tháng 12/2026");
    expect(read("tháng sáu")).toBe("tháng 6/2026");
    // "sau tháng 10" (after October) is not "sáu tháng" (six months).
    expect(read("sau tháng 10")).toBe("unreadable");
  });

  it("refuses what is not a period", () => {
    for (const bad of ["tháng", "quý", "tháng 13", "T0", "quý 5", "q35", "tháng 10/202", "10/2026/1", "20/10/2026", "từ tháng 7 đến tháng 9", "thang chin muoi", "12 tháng", "hôm qua", "quý V", "tháng 10 năm nào"]) {
      expect(read(bad), bad).toBe("unreadable");
    }
  });
});

describe("period windows", () => {
  const open = month(2026, 11);
  it("reaches some years back and one period ahead", () => {
    const w = periodWindow(open, 2);
    expect(w).toEqual({ from: month(2024, 11), to: month(2026, 12) });
    expect(withinWindow(month(2026, 12), w)).toBe(true);
    expect(withinWindow(month(2027, 1), w)).toBe(false);
    expect(withinWindow(month(2024, 11), w)).toBe(true);
    expect(withinWindow(month(2024, 10), w)).toBe(false);
    expect(withinWindow(month(1900, 1), w)).toBe(false);
    expect(withinWindow(month(9999, 12), w)).toBe(false);
  });

  it("takes longer periods that overlap it", () => {
    const w = periodWindow(open, 2);
    expect(withinWindow(quarter(2026, 4), w)).toBe(true);
    expect(withinWindow(year(2024), w)).toBe(true);
    expect(withinWindow(quarter(2027, 1), w)).toBe(false);
    expect(withinWindow(year(2027), w)).toBe(false);
    expect(periodWindow(quarter(2026, 4), 1)).toEqual({ from: quarter(2025, 4), to: quarter(2027, 1) });
  });
});

describe("date formatting", () => {
  it("document style with two-digit day and month, in local time", () => {
    expect(formatDocDate(vn("2024-02-06T08:00:00"))).toBe("ngày 06 tháng 02 năm 2024");
    expect(formatDocDate(new Date("2024-02-05T17:00:00Z"))).toBe("ngày 06 tháng 02 năm 2024");
    expect(formatDocDate("2026-11-25")).toBe("ngày 25 tháng 11 năm 2026");
  });

  it("chat and short styles", () => {
    expect(formatChatDate("2024-02-06")).toBe("06/02/2024");
    expect(formatShortDate("2026-11-16")).toBe("16/11");
    expect(() => formatChatDate("2026-02-30")).toThrow(RangeError);
    expect(() => formatChatDate("06/02/2024")).toThrow(RangeError);
  });

  it("daysBetween counts calendar days, across month, year and leap day", () => {
    expect(daysBetween("2026-11-16", "2026-11-16")).toBe(0);
    expect(daysBetween("2026-11-16", "2026-11-20")).toBe(4);
    expect(daysBetween("2026-11-20", "2026-11-16")).toBe(-4);
    expect(daysBetween("2026-12-30", "2027-01-02")).toBe(3);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2026-01-01", "2027-01-01")).toBe(365);
  });
});
