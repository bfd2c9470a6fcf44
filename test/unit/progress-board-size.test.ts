// A progress board above a commune stays one message however many units lie below it: a province has up to about
// 170 communes, and a board is edited in place (Telegram cuts at 4,096 characters; a Zalo message holds 2,000).
// The officer's late reminder names the units below the same way /tonghop does: the most missing first, then a count.
import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { summarize, type Summary, type SummaryData } from "../../src/core/aggregate/summary.js";
import { BOARD_UNIT_LINES, progressText } from "../../src/core/conversation/progress-text.js";
import { laggingBelow } from "../../src/core/conversation/summary-text.js";
import { MAX_NAMES } from "../../src/core/conversation/name-list.js";
import type { Ctx } from "../../src/core/conversation/context.js";
import type { Period } from "../../src/core/periods.js";
import type { Unit } from "../../src/core/types.js";
import { emptyTally, type Tally } from "../../src/core/aggregate/tally.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);
const monthly = prompts.forms.find((f) => f.id === "mttq_dinh_ky")!;
const NOV: Period = { kind: "month", year: 2026, index: 11 };
const province: Unit = { code: "75", name: "Tỉnh Đồng Nai", level: "province", parentCode: null };
const ctx = { forms: prompts.forms, messages: prompts.messages, report: prompts.report, now: new Date("2026-11-10T02:00:00Z"), newToken: () => "t" } as unknown as Ctx;

const pad = (i: number) => String(i).padStart(3, "0");
const commune = (i: number): Unit => ({ code: `75${pad(i)}`, name: `Xã Số ${pad(i)}`, level: "commune", parentCode: "75" });

/**
 * The board of a province of `n` communes of three areas each, `submittedIn(i)` of commune i's areas submitted,
 * read as above a commune: from the kept tallies of the communes and of the province.
 */
function summaryOf(n: number, submittedIn: (i: number) => number): Summary {
  const tallies = new Map<string, Tally>();
  const root = emptyTally();
  for (let i = 0; i < n; i++) {
    const k = submittedIn(i);
    tallies.set(commune(i).code, { ...emptyTally(), units: k, complete: k, states: k > 0 ? { submitted: k } : {} });
    root.units += k;
    root.complete += k;
    root.states.submitted = (root.states.submitted ?? 0) + k;
  }
  tallies.set(province.code, root);
  const data: SummaryData = {
    form: monthly,
    root: province,
    period: NOV,
    areas: [],
    children: Array.from({ length: n }, (_, i) => ({ unit: commune(i), expected: 3 })),
    expected: 3 * n,
    tally: (unit) => tallies.get(unit),
    answers: () => undefined,
    submission: () => undefined,
    review: () => undefined,
    targets: {},
  };
  return summarize(data)!;
}

function board(n: number, submittedIn: (i: number) => number, kinds = 1): string {
  const s = summaryOf(n, submittedIn);
  return progressText(ctx, Array.from({ length: kinds }, (_, p) => ({ s, number: p + 1 })));
}

const unitLines = (text: string) => text.split("\n").filter((l) => /^Xã Số \d+: /.test(l));

describe("a progress board above a commune", () => {
  it("names every commune in code order when they fit", () => {
    const text = board(12, (i) => i % 4);
    expect(unitLines(text)).toEqual(Array.from({ length: 12 }, (_, i) => `Xã Số ${pad(i)}: ${i % 4}/3 khu đã nộp`));
    expect(text).not.toContain("… và");
    expect(text).toContain("Tổng cộng: ");
  });

  it("of 170 communes names those with the most still missing and counts the rest, within one message", () => {
    // Commune i has submitted i % 4 of its three areas (3 means all): 0, 1, 2, 3, 0, 1, …
    const text = board(170, (i) => Math.min(3, i % 4));
    const lines = unitLines(text);
    expect(lines).toHaveLength(BOARD_UNIT_LINES);
    // 43 communes have submitted nothing; the first 40 of them (code order among equals) are named.
    expect(lines.every((l) => l.endsWith(": 0/3 khu đã nộp"))).toBe(true);
    expect(lines[0]).toBe("Xã Số 000: 0/3 khu đã nộp");
    // The rest: 130 communes, of which the 42 with every area in are complete.
    expect(BOARD_UNIT_LINES).toBe(40);
    expect(text).toContain("… và 130 xã khác: 42 xã đã nộp đủ, 88 xã còn thiếu.");
    expect(text).toMatch(/Tổng cộng: .*\nCập nhật lúc 09:00\.$/);
    expect(text.length).toBeLessThanOrEqual(2000);
  });

  it("says so when the communes it does not name have all submitted, or all still lack some", () => {
    const allIn = board(60, (i) => (i < 40 ? 1 : 3));
    expect(unitLines(allIn)).toHaveLength(BOARD_UNIT_LINES);
    expect(allIn).toContain("… và 20 xã khác đã nộp đủ.");
    const allLacking = board(60, () => 1);
    expect(allLacking).toContain("… và 20 xã khác còn thiếu.");
  });

  it("shares the lines between the kinds of a board of several", () => {
    const text = board(170, (i) => Math.min(3, i % 4), 2);
    expect(unitLines(text)).toHaveLength(2 * Math.floor(BOARD_UNIT_LINES / 2));
    expect(text.length).toBeLessThanOrEqual(4096);
  });
});

describe("the units below that still lack some", () => {
  it("are the most missing first, then how many others, as the officer's late reminder lists them", () => {
    // Commune i has submitted i % 4 of its three areas: 43 lack three, 43 two, 42 one, 42 are complete.
    const text = laggingBelow(ctx, summaryOf(170, (i) => Math.min(3, i % 4)), (c) => `${c.unit.name} (${c.submitted}/${c.total})`);
    const items = text.replace(/ và \d+ xã khác$/, "").split(", ");
    expect(items).toHaveLength(MAX_NAMES);
    expect(items.every((x) => x.endsWith("(0/3)"))).toBe(true);
    expect(text).toMatch(new RegExp(` và ${128 - MAX_NAMES} xã khác$`));
    expect(laggingBelow(ctx, summaryOf(5, () => 3), (c) => c.unit.name)).toBe("");
  });
});
