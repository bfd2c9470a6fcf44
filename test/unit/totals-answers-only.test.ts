// The kept totals' shortcut for answer-only changes (a report's first answer, later answers, answers cleared, of
// reports not submitted): it reads no answers of other periods, and after every step of random sequences mixing
// it with completions, corrections, returns, reopenings and exemptions, the kept tallies equal a rebuild row for
// row — for the monthly form and the six-month and yearly forms that take figures from it.
import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import type { Effect } from "../../src/core/effects.js";
import type { FormDef } from "../../src/core/forms/schema.js";
import { allFields } from "../../src/core/forms/steps.js";
import type { Person, Value } from "../../src/core/types.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { effectApplier } from "../../src/store/apply-effects.js";
import { openDatabase, type DB } from "../../src/store/db.js";
import { totalsQueries } from "../../src/store/totals.js";
import { rebuildTotals } from "../../src/store/totals-rebuild.js";
import { importUnits, type UnitRecord } from "../../src/store/units.js";
import { mulberry32 } from "../support/seeded-random.js";
import { randomValue } from "../support/form-values.js";

const FORMS = loadPrompts(DEFAULT_PROMPTS).forms;
const form = (id: string) => FORMS.find((f) => f.id === id)!;
const monthly = FORMS[0]!;
const by: Person = { platform: "telegram", userId: "1", name: "Tư" };

const TREE: UnitRecord[] = [
  { code: "P1", name: "Tỉnh Một", level: "province", parentCode: null },
  { code: "C1", name: "Xã Một", level: "commune", parentCode: "P1" },
  { code: "D1", name: "Huyện Một", level: "district", parentCode: "P1" },
  { code: "C2", name: "Xã Hai", level: "commune", parentCode: "D1" },
  ...["A1", "A2"].map((code) => ({ code, name: `Ấp ${code}`, level: "area" as const, parentCode: "C1" })),
  { code: "A3", name: "Ấp A3", level: "area", parentCode: "C2" },
];
const AREAS = ["A1", "A2", "A3"];

/** The reports the random steps are about: months across quarters, halves and years, and the reports taking from them. */
const REPORTS: Array<{ form: FormDef; keys: string[] }> = [
  { form: monthly, keys: ["2025-M6", "2025-M11", "2025-M12", "2026-M1", "2026-M5", "2026-M6", "2026-M7", "2026-M11", "2026-M12"] },
  { form: form("phap_luat_6_thang"), keys: ["2025-H2", "2026-H1", "2026-H2"] },
  { form: form("phap_luat_nam"), keys: ["2025-Y", "2026-Y"] },
];

function setUp(): { db: DB; apply: (effects: Effect[]) => void } {
  const db = openDatabase(":memory:");
  importUnits(db, TREE);
  rebuildTotals(db, FORMS);
  const applier = effectApplier(db, FORMS);
  let t = Date.parse("2026-11-10T02:00:00Z");
  return { db, apply: (effects) => db.transaction(() => applier(effects, new Date((t += 60_000))))() };
}

/** Every stored tally as stored, row for row. */
function rows(db: DB): string[] {
  return db
    .prepare<[], { unit_code: string; form_id: string; period_key: string; variant: string; tally_json: string }>("SELECT * FROM tallies ORDER BY 1, 2, 3, 4")
    .all()
    .map((r) => `${r.unit_code}|${r.form_id}|${r.period_key}|${r.variant}|${r.tally_json}`);
}


/** One random batch, as the conversation or the staff's commands would make it; mostly answer-only ones. */
function randomBatch(rnd: () => number): Effect[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const { form: f, keys } = rnd() < 0.6 ? REPORTS[0]! : pick(REPORTS);
  const unit = pick(AREAS);
  const r = { unit, form: f.id, period: pick(keys) };
  const fields = allFields(f)
    .filter((x) => !x.field.from)
    .map((x) => x.field.id);
  const one = () => {
    const id = pick(fields);
    return { [id]: randomValue(f, id, rnd) };
  };
  const some = () => Object.fromEntries(fields.filter(() => rnd() < 0.4).map((id) => [id, randomValue(f, id, rnd)]));
  const answer = (values: Record<string, Value | null>): Effect => ({ type: "save_answers", report: r, values, by });
  switch (pick(["first", "first", "answer", "answer", "answer", "clear", "clear_all", "two", "mixed", "cross", "complete", "correct", "return", "reopen", "accept", "exempt", "lift"] as const)) {
    case "first":
      // /baocao begins the report and the first answer follows, in one batch or in two.
      return rnd() < 0.5 ? [{ type: "submission", report: r, status: "in_progress", by }, answer({ [fields[0]!]: randomValue(f, fields[0]!, rnd) })] : [answer(one())];
    case "answer":
      return [answer(one())];
    case "clear":
      return [{ type: "clear_answers", report: r, fields: fields.filter(() => rnd() < 0.3) }];
    case "clear_all":
      return [{ type: "clear_answers", report: r, fields }];
    case "two": {
      // Answers to two reports of the same unit and form in one batch.
      const other = { ...r, period: pick(keys) };
      return [answer(one()), { type: "save_answers", report: other, values: one(), by }];
    }
    case "mixed": {
      // An answer to one report and the completion of another of the same unit, in one batch.
      const other = { ...r, period: pick(keys) };
      return [answer(one()), { type: "save_answers", report: other, values: some(), by }, { type: "submission", report: other, status: "completed", by }];
    }
    case "cross": {
      // A month of the unit completed, and a report taking from it begun, answered or emptied, in one batch.
      const month = { unit, form: monthly.id, period: pick(REPORTS[0]!.keys) };
      const source = pick(REPORTS.slice(1));
      const taking = { unit, form: source.form.id, period: pick(source.keys) };
      const takingFields = allFields(source.form)
        .filter((x) => !x.field.from)
        .map((x) => x.field.id);
      const change: Effect =
        rnd() < 0.5
          ? { type: "clear_answers", report: taking, fields: takingFields }
          : { type: "save_answers", report: taking, values: { [takingFields[0]!]: randomValue(source.form, takingFields[0]!, rnd) }, by };
      return [{ type: "save_answers", report: month, values: { tt_so_buoi: Math.floor(rnd() * 50) }, by }, { type: "submission", report: month, status: "completed", by }, change];
    }
    case "complete":
      return [answer(some()), { type: "submission", report: r, status: "completed", by }];
    case "correct":
      return [{ ...answer(one()), audit: "edit" } as Effect, { type: "submission", report: r, status: "completed", by, keepAuthor: true }];
    case "return":
      return [{ type: "review", report: r, status: "returned", reason: "thiếu", by }, { type: "submission", report: r, status: "reopened", by }];
    case "reopen":
      return [{ type: "submission", report: r, status: "reopened", by }];
    case "accept":
      return [{ type: "review", report: r, status: "accepted", by }];
    case "exempt":
      return [{ type: "exempt", report: r, reason: "sáp nhập", by }];
    case "lift":
      return [{ type: "lift_exemption", report: r, by }];
  }
}

describe("kept totals after answer-only changes", () => {
  it("a report's first answer moves the states of the tallies of all units and reads no answer of another month", () => {
    const { db, apply } = setUp();
    // A year of submitted months before it.
    for (let m = 1; m <= 10; m++) {
      const r = { unit: "A1", form: monthly.id, period: `2026-M${m}` };
      apply([{ type: "save_answers", report: r, values: { tt_so_buoi: m, tt_luot_nguoi: 10 * m }, by }, { type: "submission", report: r, status: "completed", by }]);
    }
    const q = totalsQueries(db) as unknown as Record<string, { all: (...a: unknown[]) => unknown[] }>;
    let reads = 0;
    for (const name of ["answersIn", "answersOf", "allAnswersOf"]) {
      const statement = q[name]!;
      const all = statement.all.bind(statement);
      q[name] = { ...statement, all: (...a: unknown[]) => ((reads += 1), all(...a)) } as (typeof q)[string];
    }
    const r = { unit: "A1", form: monthly.id, period: "2026-M11" };
    apply([{ type: "submission", report: r, status: "in_progress", by }, { type: "save_answers", report: r, values: { tt_so_buoi: 3 }, by }]);
    expect(reads).toBe(0);
    const tally = (period: string) => totalsQueries(db).tally("C1", monthly.id, period, "all");
    expect(tally("2026-M11")).toMatchObject({ units: 0, complete: 0, states: { in_progress: 1 }, sums: {} });
    // The quarter was already in progress (October submitted, November begun); the year too.
    expect(tally("2026-Q4")!.states).toEqual({ in_progress: 1 });
    expect(tally("2026-Y")).toMatchObject({ units: 1, states: { in_progress: 1 }, sums: { tt_so_buoi: 55 } });
    const kept = rows(db);
    rebuildTotals(db, FORMS);
    expect(kept).toEqual(rows(db));
  });

  it("emptied again, a report is no longer in progress", () => {
    const { db, apply } = setUp();
    const r = { unit: "A2", form: monthly.id, period: "2026-M11" };
    apply([{ type: "save_answers", report: r, values: { tt_so_buoi: 3 }, by }]);
    expect(totalsQueries(db).tally("P1", monthly.id, "2026-Q4", "all")!.states).toEqual({ in_progress: 1 });
    apply([{ type: "clear_answers", report: r, fields: ["tt_so_buoi"] }]);
    expect(totalsQueries(db).tally("P1", monthly.id, "2026-M11", "all")).toBeUndefined();
    expect(totalsQueries(db).tally("P1", monthly.id, "2026-Q4", "all")).toBeUndefined();
  });

  for (const seed of [11, 12, 13]) {
    it(`equal a rebuild after every step of random sequences (seed ${seed})`, () => {
      const { db, apply } = setUp();
      const rnd = mulberry32(seed);
      for (let step = 1; step <= 250; step++) {
        const batch = randomBatch(rnd);
        apply(batch);
        const kept = rows(db);
        rebuildTotals(db, FORMS);
        expect({ step, batch, rows: kept }).toEqual({ step, batch, rows: rows(db) });
      }
    });
  }
});
