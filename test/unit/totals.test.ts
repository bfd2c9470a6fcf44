// The kept totals: every submission, correction, return, reopening, clearing and exemption moves the tallies of
// the units above in the same transaction, so that they always equal a rebuild from the answers — checked here
// step by step and on random sequences of changes over a tree with a national root, provinces and a district,
// for every period kind (areas monthly, weekly, by rounds and for a yearly campaign; communes quarterly); and the
// summaries read from them equal the ones added up from every reporting unit's answers.
import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { summarize, type Summary, type SummaryData } from "../../src/core/aggregate/summary.js";
import type { Tally } from "../../src/core/aggregate/tally.js";
import type { Effect } from "../../src/core/effects.js";
import type { FormDef } from "../../src/core/forms/schema.js";
import { allFields } from "../../src/core/forms/steps.js";
import type { Period } from "../../src/core/periods.js";
import type { AnswerMap, Person, Unit, UnitLevel } from "../../src/core/types.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { effectApplier } from "../../src/store/apply-effects.js";
import { openDatabase, type DB } from "../../src/store/db.js";
import { SqlWorld } from "../../src/store/sql-world.js";
import { StoredFacts, totalsQueries } from "../../src/store/totals.js";
import { checkTotals, rebuildTotals, totalsNeedRebuild } from "../../src/store/totals-rebuild.js";
import { importUnits, type UnitRecord } from "../../src/store/units.js";
import { ensureTotals } from "../../src/app/totals-startup.js";
import { silentLogger } from "../../src/app/logger.js";
import { promptsWith, QUARTERLY_FORM } from "../support/test-forms.js";
import { CAMPAIGN_FORM, ROUND_FORM, WEEKLY_FORM } from "../support/period-forms.js";
import { periodOfKey } from "../../src/core/period-of-key.js";
import { mulberry32 } from "../support/seeded-random.js";
import { randomValue } from "../support/form-values.js";

const monthly = loadPrompts(DEFAULT_PROMPTS).forms[0]!;
// Communes fill a quarterly report of their own.
const communeForm: FormDef = {
  ...loadPrompts(promptsWith({ "txct-quy.yaml": QUARTERLY_FORM })).forms.find((f) => f.id === "txct_quy")!,
  id: "xa_quy",
  short: "xa",
  applies_to: ["commune"],
};
// The dated kinds: areas report weekly, by rounds staff open, and for a yearly campaign.
const dated = loadPrompts(promptsWith({ "tuan.yaml": WEEKLY_FORM, "dot.yaml": ROUND_FORM, "vnn.yaml": CAMPAIGN_FORM })).forms;
const weekly = dated.find((f) => f.period.kind === "week")!;
const rounds = dated.find((f) => f.period.kind === "round")!;
const campaign = dated.find((f) => f.period.kind === "campaign")!;
const FORMS = [monthly, communeForm, weekly, rounds, campaign];
/** The reports each form's random changes are about, and the periods their summaries are checked for. */
const KEYS: Array<{ form: FormDef; level: UnitLevel; keys: string[]; summaries: string[] }> = [
  { form: monthly, level: "area", keys: ["2025-M10", "2025-M11", "2025-M12", "2026-M1", "2026-M10", "2026-M11", "2026-M12"], summaries: ["2026-M11", "2026-M12", "2026-Q4", "2026-Y", "2025-Q4"] },
  { form: communeForm, level: "commune", keys: ["2025-Q3", "2025-Q4", "2026-Q3", "2026-Q4"], summaries: ["2026-Q4", "2026-H2", "2026-Y"] },
  { form: weekly, level: "area", keys: ["2025-W45", "2025-W46", "2026-W45", "2026-W46"], summaries: ["2026-W46", "2026-W45", "2026-M11", "2026-Y"] },
  { form: rounds, level: "area", keys: ["R1", "R2"], summaries: ["R1", "R2"] },
  { form: campaign, level: "area", keys: ["2025-C", "2026-C"], summaries: ["2026-C", "2026-Y"] },
];
const by: Person = { platform: "telegram", userId: "1", name: "Tư" };

// A national root over two provinces: one with communes directly (since 2025), one with a district.
const TREE: UnitRecord[] = [
  { code: "VN", name: "Toàn quốc", level: "province", parentCode: null },
  { code: "P1", name: "Tỉnh Một", level: "province", parentCode: "VN" },
  { code: "P2", name: "Tỉnh Hai", level: "province", parentCode: "VN" },
  { code: "C1", name: "Xã Một", level: "commune", parentCode: "P1" },
  { code: "C2", name: "Xã Hai", level: "commune", parentCode: "P1" },
  { code: "D1", name: "Huyện Một", level: "district", parentCode: "P2" },
  { code: "C3", name: "Xã Ba", level: "commune", parentCode: "D1" },
  { code: "C4", name: "Xã Bốn", level: "commune", parentCode: "D1" },
  ...["A1", "A2", "A3"].map((code) => ({ code, name: `Ấp ${code}`, level: "area" as const, parentCode: "C1" })),
  ...["A4", "A5"].map((code) => ({ code, name: `Ấp ${code}`, level: "area" as const, parentCode: "C2" })),
  ...["A6", "A7"].map((code) => ({ code, name: `Ấp ${code}`, level: "area" as const, parentCode: "C3" })),
  { code: "A8", name: "Ấp A8", level: "area", parentCode: "C4" },
];

function setUp(): { db: DB; apply: (effects: Effect[]) => void } {
  const db = openDatabase(":memory:");
  importUnits(db, TREE);
  rebuildTotals(db, FORMS);
  const applier = effectApplier(db, FORMS);
  // Two rounds opened for the whole country, the second after the first.
  const round = (id: number, start: string, end: string) => ({ id, form: rounds.id, unit: "VN", name: `Đợt ${id}`, start, end, openedBy: "telegram:1", openedAt: "2026-11-01T02:00:00.000Z" });
  db.transaction(() => applier([{ type: "open_round", round: round(1, "2026-10-01", "2026-10-10"), by }, { type: "open_round", round: round(2, "2026-11-01", "2026-11-10"), by }], new Date()))();
  let t = Date.parse("2026-11-10T02:00:00Z");
  return { db, apply: (effects) => db.transaction(() => applier(effects, new Date((t += 60_000))))() };
}

const tallyOf = (db: DB, unit: string, form: string, period: string, variant = "all"): Tally | undefined =>
  totalsQueries(db).tally(unit, form, period, variant as "all");

/** Every stored tally, keyed by unit, form, period and variant. */
function snapshot(db: DB): Map<string, Tally> {
  const rows = db.prepare<[], { unit_code: string; form_id: string; period_key: string; variant: string; tally_json: string }>("SELECT * FROM tallies").all();
  return new Map(rows.map((r) => [`${r.unit_code}|${r.form_id}|${r.period_key}|${r.variant}`, JSON.parse(r.tally_json) as Tally]));
}

function expectSameTallies(kept: Map<string, Tally>, rebuilt: Map<string, Tally>): void {
  expect([...kept.keys()].sort()).toEqual([...rebuilt.keys()].sort());
  for (const [k, t] of rebuilt) {
    const mine = kept.get(k)!;
    expect({ k, units: mine.units, complete: mine.complete, states: mine.states, counts: mine.counts, yes: mine.yes }).toEqual({
      k,
      units: t.units,
      complete: t.complete,
      states: t.states,
      counts: t.counts,
      yes: t.yes,
    });
    expect(Object.keys(mine.sums).sort()).toEqual(Object.keys(t.sums).sort());
    for (const [f, v] of Object.entries(t.sums)) expect(mine.sums[f]).toBeCloseTo(v, 6);
  }
}

const report = (unit: string, form: string, period: string) => ({ unit, form, period });

describe("kept totals, step by step", () => {
  it("a submission, a correction, a return and a reopening move every unit above, and nothing else", () => {
    const { db, apply } = setUp();
    const r = report("A1", monthly.id, "2026-M11");
    apply([{ type: "save_answers", report: r, values: { tt_so_buoi: 5, tt_luot_nguoi: 300, txct_co: true }, by }, { type: "submission", report: r, status: "in_progress", by }]);
    // Started, not submitted: counted as in progress, no figures in the totals.
    for (const u of ["C1", "P1", "VN"]) expect(tallyOf(db, u, monthly.id, "2026-M11")).toMatchObject({ units: 0, states: { in_progress: 1 }, sums: {} });
    expect(tallyOf(db, "C2", monthly.id, "2026-M11")).toBeUndefined();

    apply([{ type: "submission", report: r, status: "completed", by }]);
    for (const u of ["C1", "P1", "VN"]) {
      expect(tallyOf(db, u, monthly.id, "2026-M11")).toMatchObject({ units: 1, complete: 1, states: { submitted: 1 }, sums: { tt_so_buoi: 5, tt_luot_nguoi: 300 }, yes: { txct_co: 1 } });
      // The month is in its quarter, half year and year too.
      for (const longer of ["2026-Q4", "2026-H2", "2026-Y"]) expect(tallyOf(db, u, monthly.id, longer)).toMatchObject({ units: 1, complete: 0, sums: { tt_so_buoi: 5 } });
    }
    expect(tallyOf(db, "A1", monthly.id, "2026-M11")).toBeUndefined();

    // A correction after completion: the totals follow the figure.
    apply([{ type: "save_answers", report: r, values: { tt_so_buoi: 7 }, by, audit: "edit" }, { type: "submission", report: r, status: "completed", by, keepAuthor: true }]);
    expect(tallyOf(db, "VN", monthly.id, "2026-M11")!.sums.tt_so_buoi).toBe(7);
    expect(tallyOf(db, "P1", monthly.id, "2026-Q4")!.sums.tt_so_buoi).toBe(7);

    // Returned with a reason and reopened: no longer counted as submitted, its figures out of the totals.
    apply([{ type: "review", report: r, status: "returned", reason: "thiếu", by }, { type: "submission", report: r, status: "reopened", by }]);
    expect(tallyOf(db, "C1", monthly.id, "2026-M11")).toMatchObject({ units: 0, complete: 0, states: { returned: 1 }, sums: {} });
    // The quarter still has its answers begun: in progress, nothing in the figures.
    expect(tallyOf(db, "C1", monthly.id, "2026-Q4")).toMatchObject({ units: 0, complete: 0, states: { in_progress: 1 }, sums: {} });

    // Fixed and submitted again, then accepted.
    apply([{ type: "submission", report: r, status: "completed", by }]);
    apply([{ type: "review", report: r, status: "accepted", by }]);
    expect(tallyOf(db, "P1", monthly.id, "2026-M11")).toMatchObject({ units: 1, states: { accepted: 1 }, sums: { tt_so_buoi: 7 } });
    expectSameTallies(snapshot(db), (rebuildTotals(db, FORMS), snapshot(db)));
  });

  it("keeps the like-with-like pairs: only a unit complete in both periods is compared", () => {
    const { db, apply } = setUp();
    const submit = (unit: string, period: string, values: AnswerMap) => {
      const r = report(unit, monthly.id, period);
      apply([{ type: "save_answers", report: r, values, by }, { type: "submission", report: r, status: "completed", by }]);
    };
    submit("A1", "2026-M10", { tt_so_buoi: 2 });
    submit("A1", "2026-M11", { tt_so_buoi: 5 });
    submit("A2", "2026-M11", { tt_so_buoi: 9 });
    expect(tallyOf(db, "C1", monthly.id, "2026-M11", "prev_cur")).toMatchObject({ units: 1, sums: { tt_so_buoi: 5 } });
    expect(tallyOf(db, "C1", monthly.id, "2026-M11", "prev_old")).toMatchObject({ units: 1, sums: { tt_so_buoi: 2 } });
    // A2 reports October late: now both are in both months.
    submit("A2", "2026-M10", { tt_so_buoi: 4 });
    expect(tallyOf(db, "VN", monthly.id, "2026-M11", "prev_cur")).toMatchObject({ units: 2, sums: { tt_so_buoi: 14 } });
    expect(tallyOf(db, "VN", monthly.id, "2026-M11", "prev_old")).toMatchObject({ units: 2, sums: { tt_so_buoi: 6 } });
    // The same month a year later compares with it.
    submit("A1", "2027-M10", { tt_so_buoi: 3 });
    expect(tallyOf(db, "P1", monthly.id, "2027-M10", "year_old")).toMatchObject({ units: 1, sums: { tt_so_buoi: 2 } });
    const s = summarize(new SqlWorld(db).summaryData(unit(db, "VN"), monthly, month(11)))!;
    expect(s.previous).toMatchObject({ n: 2, whole: true });
    expect(s.previous!.totals.values.tt_so_buoi).toBe(6);
  });

  it("counts a district's communes under the district, its province and the root, for a form communes fill", () => {
    const { db, apply } = setUp();
    const r = report("C3", communeForm.id, "2026-Q4");
    apply([{ type: "save_answers", report: r, values: { q_diem: 2, q_cu_tri: 300, q_kien_nghi: 15 }, by }, { type: "submission", report: r, status: "completed", by }]);
    for (const u of ["D1", "P2", "VN"]) expect(tallyOf(db, u, communeForm.id, "2026-Q4")).toMatchObject({ units: 1, states: { submitted: 1 }, sums: { q_cu_tri: 300 } });
    expect(tallyOf(db, "C3", communeForm.id, "2026-Q4")).toBeUndefined();
    expect(tallyOf(db, "P1", communeForm.id, "2026-Q4")).toBeUndefined();
    // Areas' forms are not touched by it.
    expect(tallyOf(db, "D1", monthly.id, "2026-Q4")).toBeUndefined();
    const s = summarize(new SqlWorld(db).summaryData(unit(db, "P2"), communeForm, { kind: "quarter", year: 2026, index: 4 }))!;
    expect(s.listed).toBe(false);
    expect(s.counts).toMatchObject({ expected: 2, submitted: 1, notStarted: 1 });
    expect(s.columns.map((c) => [c.unit.code, c.submitted, c.total])).toEqual([["D1", 1, 2]]);
  });

  it("an exempt unit is not expected above it; one that submits anyway counts like any other; lifted, it is expected again", () => {
    const { db, apply } = setUp();
    const r = report("A6", monthly.id, "2026-M11");
    apply([{ type: "exempt", report: r, reason: "sáp nhập", by }]);
    for (const u of ["C3", "D1", "P2", "VN"]) expect(tallyOf(db, u, monthly.id, "2026-M11")).toMatchObject({ units: 0, states: { exempt: 1 } });
    const s = () => summarize(new SqlWorld(db).summaryData(unit(db, "P2"), monthly, month(11)))!;
    expect(s().counts).toMatchObject({ expected: 2, exempt: 1, submitted: 0, notStarted: 2 });
    expect(s().columns.map((c) => [c.unit.code, c.total, c.exempt])).toEqual([["D1", 2, 1]]);
    // The quarter: excused from one month, not from the quarter.
    expect(tallyOf(db, "D1", monthly.id, "2026-Q4")).toBeUndefined();
    apply([{ type: "save_answers", report: r, values: { tt_so_buoi: 6 }, by }, { type: "submission", report: r, status: "completed", by }]);
    expect(tallyOf(db, "D1", monthly.id, "2026-M11")).toMatchObject({ units: 1, states: { submitted: 1 }, sums: { tt_so_buoi: 6 } });
    expect(s().counts).toMatchObject({ expected: 3, exempt: 0, submitted: 1 });
    apply([{ type: "submission", report: r, status: "reopened", by }]);
    expect(tallyOf(db, "D1", monthly.id, "2026-M11")).toMatchObject({ units: 0, states: { exempt: 1 } });
    apply([{ type: "lift_exemption", report: r, by }]);
    expect(tallyOf(db, "D1", monthly.id, "2026-M11")).toMatchObject({ units: 0, states: { in_progress: 1 } });
    expect(s().counts).toMatchObject({ expected: 3, exempt: 0, inProgress: 1 });
  });

  it("a round compares with the round before it: a correction to the first moves the second's comparison", () => {
    const { db, apply } = setUp();
    const submit = (period: string, n: number, audit?: "edit") => {
      const r = report("A1", rounds.id, period);
      apply([{ type: "save_answers", report: r, values: { q_diem: n }, by, ...(audit ? { audit } : {}) }, { type: "submission", report: r, status: "completed", by }]);
    };
    submit("R1", 2);
    submit("R2", 5);
    expect(tallyOf(db, "VN", rounds.id, "R2", "prev_old")).toMatchObject({ units: 1, sums: { q_diem: 2 } });
    submit("R1", 3, "edit");
    expect(tallyOf(db, "C1", rounds.id, "R2", "prev_old")).toMatchObject({ units: 1, sums: { q_diem: 3 } });
    expect(tallyOf(db, "C1", rounds.id, "R2", "prev_cur")).toMatchObject({ units: 1, sums: { q_diem: 5 } });
    // A week is counted in the month its Sunday falls in.
    const w = report("A1", weekly.id, "2026-W44");
    apply([{ type: "save_answers", report: w, values: { q_diem: 4 }, by }, { type: "submission", report: w, status: "completed", by }]);
    expect(tallyOf(db, "P1", weekly.id, "2026-W44")).toMatchObject({ units: 1, sums: { q_diem: 4 } });
    expect(tallyOf(db, "P1", weekly.id, "2026-M11")).toMatchObject({ units: 1, sums: { q_diem: 4 } });
    expectSameTallies(snapshot(db), (rebuildTotals(db, FORMS), snapshot(db)));
  });

  it("a six-month report's figures taken from the monthly ones follow a correction to a month", () => {
    const db = openDatabase(":memory:");
    importUnits(db, TREE);
    const shipped = loadPrompts(DEFAULT_PROMPTS).forms;
    const half = shipped.find((f) => f.id === "phap_luat_6_thang")!;
    rebuildTotals(db, shipped);
    const applier = effectApplier(db, shipped);
    const apply = (effects: Effect[]) => db.transaction(() => applier(effects, new Date("2026-07-10T02:00:00Z")))();
    const month = (key: string, n: number, audit?: "edit") => {
      const r = report("A1", monthly.id, key);
      apply([{ type: "save_answers", report: r, values: { tt_so_buoi: n, tt_luot_nguoi: 10 * n }, by, ...(audit ? { audit } : {}) }, { type: "submission", report: r, status: "completed", by }]);
    };
    month("2026-M1", 2);
    month("2026-M2", 3);
    const h = report("A1", half.id, "2026-H1");
    apply([{ type: "save_answers", report: h, values: { pl_noi_dung: "Luật Đất đai" }, by }, { type: "submission", report: h, status: "completed", by }]);
    const taken = (unit: string) => Object.values(tallyOf(db, unit, half.id, "2026-H1")?.sums ?? {});
    expect(taken("C1")).toEqual(expect.arrayContaining([5, 50]));
    // The leader corrects February: the six-month report's taken figures follow, in the same transaction.
    month("2026-M2", 4, "edit");
    expect(taken("VN")).toEqual(expect.arrayContaining([6, 60]));
    const kept = snapshot(db);
    rebuildTotals(db, shipped);
    expectSameTallies(kept, snapshot(db));
  });

  it("clearing answers takes them out of the totals", () => {
    const { db, apply } = setUp();
    const r = report("A4", monthly.id, "2026-M11");
    apply([{ type: "save_answers", report: r, values: { tt_so_buoi: 5, gdvh_ty_le: 80 }, by }, { type: "submission", report: r, status: "completed", by }]);
    expect(tallyOf(db, "C2", monthly.id, "2026-M11")).toMatchObject({ counts: { gdvh_ty_le: 1 }, sums: { gdvh_ty_le: 80 } });
    apply([{ type: "clear_answers", report: r, fields: ["gdvh_ty_le"] }]);
    expect(tallyOf(db, "C2", monthly.id, "2026-M11")!.counts.gdvh_ty_le).toBeUndefined();
    expect(tallyOf(db, "C2", monthly.id, "2026-M11")!.sums.gdvh_ty_le).toBeUndefined();
  });
});

function unit(db: DB, code: string): Unit {
  return new SqlWorld(db).unit(code)!;
}
const month = (index: number, year = 2026): Period => ({ kind: "month", year, index });



/** One random change to one report, as the conversation would make it. */
function randomChange(rnd: () => number, among: typeof KEYS = KEYS): Effect[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const { form, level, keys } = rnd() < 0.5 ? among[0]! : pick(among);
  const units = TREE.filter((u) => u.level === level).map((u) => u.code);
  const r = report(pick(units), form.id, pick(keys));
  const fields = allFields(form).map((f) => f.field.id);
  const some = () => Object.fromEntries(fields.filter(() => rnd() < 0.4).map((id) => [id, randomValue(form, id, rnd)]));
  switch (pick(["answers", "answers", "complete", "complete", "correct", "reopen", "return", "accept", "clear", "start", "exempt", "lift"] as const)) {
    case "exempt":
      return [{ type: "exempt", report: r, reason: "sáp nhập", by }];
    case "lift":
      return [{ type: "lift_exemption", report: r, by }];
    case "answers":
      return [{ type: "save_answers", report: r, values: some(), by }];
    case "complete":
      return [{ type: "save_answers", report: r, values: some(), by }, { type: "submission", report: r, status: "completed", by }];
    case "correct":
      return [{ type: "save_answers", report: r, values: some(), by, audit: "edit" }, { type: "submission", report: r, status: "completed", by, keepAuthor: true }];
    case "reopen":
      return [{ type: "submission", report: r, status: "reopened", by }];
    case "return":
      return [{ type: "review", report: r, status: "returned", reason: "thiếu", by }, { type: "submission", report: r, status: "reopened", by }];
    case "accept":
      return [{ type: "review", report: r, status: "accepted", by }];
    case "clear":
      return [{ type: "clear_answers", report: r, fields: fields.filter(() => rnd() < 0.3) }];
    case "start":
      return [{ type: "submission", report: r, status: "in_progress", by }];
  }
}

/** The summary added up from every reporting unit's own answers, as before the totals were kept. */
function referenceSummary(db: DB, root: Unit, form: FormDef, period: Period): Summary {
  const world = new SqlWorld(db);
  const q = totalsQueries(db);
  const facts = new Map<string, StoredFacts>();
  const f = (u: string) => facts.get(u) ?? facts.set(u, new StoredFacts(q, u, form.id)).get(u)!;
  const childOf = (u: Unit): Unit => {
    const line = world.lineage(u.code);
    const i = line.findIndex((x) => x.code === root.code);
    return i > 0 ? line[i - 1]! : u;
  };
  const data: SummaryData = {
    form,
    root,
    period,
    areas: world.unitsUnder(root.code, form.applies_to as UnitLevel[]).map((u) => ({ unit: u, group: childOf(u) })),
    answers: (u, k) => f(u).answers(k),
    submission: (u, k) => f(u).submission(k),
    review: (u, k) => f(u).review(k),
    exemption: (u, k) => f(u).exemption(k),
    targets: {},
  };
  return summarize(data)!;
}

function expectSameSummary(kept: Summary, ref: Summary): void {
  const numbers = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === "number" ? Math.round(x * 1e4) / 1e4 : x]));
  expect(numbers(kept.totals.values)).toEqual(numbers(ref.totals.values));
  expect(kept.totals.counts).toEqual(ref.totals.counts);
  expect(kept.totals.yes).toEqual(ref.totals.yes);
  const { reports: _a, ...keptCounts } = kept.counts;
  const { reports: _b, ...refCounts } = ref.counts;
  expect(keptCounts).toEqual(refCounts);
  expect(kept.members.map((m) => [m.submitted, m.total])).toEqual(ref.members.map((m) => [m.submitted, m.total]));
  expect(kept.columns.map((c) => [c.unit.code, c.submitted, c.total, c.exempt, c.counted, numbers(c.totals.values)])).toEqual(
    ref.columns.map((c) => [c.unit.code, c.submitted, c.total, c.exempt, c.counted, numbers(c.totals.values)]),
  );
  for (const side of ["previous", "lastYear"] as const) {
    expect(kept[side] && { n: kept[side].n, whole: kept[side].whole, now: numbers(kept[side].current.values), then: numbers(kept[side].totals.values) }).toEqual(
      ref[side] && { n: ref[side].base.length, whole: ref[side].whole, now: numbers(ref[side].current.values), then: numbers(ref[side].totals.values) },
    );
  }
  expect(kept.incomparable).toEqual(ref.incomparable);
}

describe("kept totals equal a rebuild from the answers", () => {
  for (const seed of [1, 2, 3]) {
    it(`after random submissions, corrections, returns, reopenings, clearings and exemptions (seed ${seed})`, () => {
      const { db, apply } = setUp();
      const rnd = mulberry32(seed);
      for (let step = 1; step <= 240; step++) {
        apply(randomChange(rnd));
        if (step % 80 !== 0) continue;
        const kept = snapshot(db);
        expect(checkTotals(db, FORMS, { sample: "all" })).toEqual([]);
        rebuildTotals(db, FORMS);
        expectSameTallies(kept, snapshot(db));
        // The summaries read from the tallies say what adding up every unit's answers says, at every level.
        const world = new SqlWorld(db);
        for (const code of ["VN", "P1", "P2", "D1", "C1"]) {
          for (const { form, summaries } of KEYS) {
            for (const key of summaries) {
              const period = periodOfKey(world, form, key)!;
              const root = unit(db, code);
              expectSameSummary(summarize(world.summaryData(root, form, period))!, referenceSummary(db, root, form, period));
            }
          }
        }
      }
    });
  }
});

describe("kept totals of forms that take figures from others equal a rebuild", () => {
  // A change to a month moves the six-month and yearly reports that take its figures only once they are begun;
  // a change that completes nothing moves only the tallies of all units: both shortcuts must agree with a rebuild.
  const shipped = loadPrompts(DEFAULT_PROMPTS).forms;
  const form = (id: string) => shipped.find((f) => f.id === id)!;
  const among: typeof KEYS = [
    { form: monthly, level: "area", keys: ["2025-M5", "2025-M11", "2026-M4", "2026-M5", "2026-M6", "2026-M10", "2026-M11", "2026-M12"], summaries: [] },
    { form: form("phap_luat_6_thang"), level: "area", keys: ["2025-H1", "2026-H1", "2026-H2"], summaries: [] },
    { form: form("phap_luat_nam"), level: "area", keys: ["2025-Y", "2026-Y"], summaries: [] },
  ];
  for (const seed of [4, 5]) {
    it(`after random changes to the months and to the reports taking from them (seed ${seed})`, () => {
      const db = openDatabase(":memory:");
      importUnits(db, TREE);
      rebuildTotals(db, shipped);
      const applier = effectApplier(db, shipped);
      let t = Date.parse("2026-11-10T02:00:00Z");
      const rnd = mulberry32(seed);
      for (let step = 1; step <= 240; step++) {
        const effects = randomChange(rnd, among);
        db.transaction(() => applier(effects, new Date((t += 60_000))))();
        if (step % 60 !== 0) continue;
        const kept = snapshot(db);
        expect(checkTotals(db, shipped, { sample: "all" })).toEqual([]);
        rebuildTotals(db, shipped);
        expectSameTallies(kept, snapshot(db));
      }
    });
  }
});

describe("start-up check and rebuild", () => {
  it("builds the totals on a database that has none, finds a damaged tally and repairs it", () => {
    const { db, apply } = setUp();
    const r = report("A6", monthly.id, "2026-M11");
    apply([{ type: "save_answers", report: r, values: { tt_so_buoi: 5 }, by }, { type: "submission", report: r, status: "completed", by }]);
    expect(ensureTotals(db, FORMS, silentLogger)).toBe("checked");
    // Someone edits a tally by hand: the check (sampling every parent here) sees it, start-up repairs it.
    db.prepare("UPDATE tallies SET tally_json = json_set(tally_json, '$.sums.tt_so_buoi', 99) WHERE unit_code = 'C3' AND period_key = '2026-M11' AND variant = 'all'").run();
    expect(checkTotals(db, FORMS, { sample: "all" })).toEqual([expect.objectContaining({ unit: "C3", period: "2026-M11", variant: "all" })]);
    db.prepare("UPDATE tallies SET tally_json = json_set(tally_json, '$.sums.tt_so_buoi', 98) WHERE unit_code = 'VN' AND period_key = '2026-M11' AND variant = 'all'").run();
    expect(checkTotals(db, FORMS, { sample: 0 })).toEqual([expect.objectContaining({ unit: "VN", period: "2026-M11", variant: "all" })]);
    expect(ensureTotals(db, FORMS, { ...silentLogger, error: () => undefined, info: () => undefined } as never)).toBe("repaired");
    expect(tallyOf(db, "VN", monthly.id, "2026-M11")!.sums.tt_so_buoi).toBe(5);
    expect(tallyOf(db, "C3", monthly.id, "2026-M11")!.sums.tt_so_buoi).toBe(5);
    // An older database, with answers but no totals yet: built at start.
    db.prepare("DELETE FROM tallies").run();
    db.prepare("DELETE FROM totals_state").run();
    expect(totalsNeedRebuild(db)).toBe(true);
    expect(ensureTotals(db, FORMS, silentLogger)).toBe("built");
    expect(tallyOf(db, "D1", monthly.id, "2026-M11")!.sums.tt_so_buoi).toBe(5);
  });

  it("a unit moved to another commune takes its figures along after the rebuild the move asks for", () => {
    const { db, apply } = setUp();
    const r = report("A8", monthly.id, "2026-M11");
    apply([{ type: "save_answers", report: r, values: { tt_so_buoi: 4 }, by }, { type: "submission", report: r, status: "completed", by }]);
    importUnits(db, [{ code: "A8", name: "Ấp A8", level: "area", parentCode: "C1" }]);
    expect(totalsNeedRebuild(db)).toBe(true);
    expect(ensureTotals(db, FORMS, silentLogger)).toBe("built");
    expect(tallyOf(db, "C1", monthly.id, "2026-M11")!.sums.tt_so_buoi).toBe(4);
    expect(tallyOf(db, "C4", monthly.id, "2026-M11")).toBeUndefined();
    expect(tallyOf(db, "D1", monthly.id, "2026-M11")).toBeUndefined();
    // A renamed unit is no move.
    importUnits(db, [{ code: "A8", name: "Ấp Tám", level: "area", parentCode: "C1" }]);
    expect(totalsNeedRebuild(db)).toBe(false);
  });
});
