// Loads what a Summary needs for a unit's subtree. Answers and submissions are read a whole period at a
// time (one query each, cached), so a district of thousands of areas costs a handful of queries.
import type { DB } from "./db.js";
import type { FormDef } from "../core/forms/schema.js";
import type { Review, SummaryData } from "../core/aggregate/summary.js";
import type { Period } from "../core/periods.js";
import type { AnswerMap, Submission, Unit, Value } from "../core/types.js";
import { toUnit, type UnitRow } from "./rows.js";


export class SummarySource {
  private readonly answerCache = new Map<string, Map<string, AnswerMap>>();
  private readonly submissionCache = new Map<string, Map<string, Submission>>();
  private readonly reviewCache = new Map<string, Map<string, Review>>();

  constructor(
    private readonly db: DB,
    private readonly form: FormDef,
  ) {}

  /** Every unit in the subtree of `root` (root included), parents before children. */
  subtree(root: string): Unit[] {
    return this.db
      .prepare<[string], UnitRow>(
        `WITH RECURSIVE sub(code) AS (SELECT ? UNION ALL SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code)
         SELECT units.* FROM units JOIN sub USING (code) ORDER BY units.code`,
      )
      .all(root)
      .map(toUnit);
  }

  private byPeriod<T>(cache: Map<string, Map<string, T>>, key: string, load: () => Map<string, T>): Map<string, T> {
    let m = cache.get(key);
    if (!m) {
      m = load();
      cache.set(key, m);
    }
    return m;
  }

  answers(unit: string, periodKey: string): AnswerMap | undefined {
    return this.byPeriod(this.answerCache, periodKey, () => {
      const m = new Map<string, AnswerMap>();
      const rows = this.db
        .prepare<[string, string], { unit_code: string; field_id: string; value_json: string | null }>(
          "SELECT unit_code, field_id, value_json FROM answers WHERE form_id = ? AND period_key = ?",
        )
        .all(this.form.id, periodKey);
      for (const r of rows) {
        const a = m.get(r.unit_code) ?? {};
        a[r.field_id] = r.value_json === null ? null : (JSON.parse(r.value_json) as Value);
        m.set(r.unit_code, a);
      }
      return m;
    }).get(unit);
  }

  submission(unit: string, periodKey: string): Submission | undefined {
    return this.byPeriod(this.submissionCache, periodKey, () => {
      const rows = this.db
        .prepare<[string, string], { unit_code: string; status: Submission["status"]; version: number; completed_at: string | null }>(
          "SELECT unit_code, status, version, completed_at FROM submissions WHERE form_id = ? AND period_key = ?",
        )
        .all(this.form.id, periodKey);
      return new Map(rows.map((r) => [r.unit_code, { status: r.status, version: r.version, completedAt: r.completed_at ?? undefined }]));
    }).get(unit);
  }

  review(unit: string, periodKey: string): Review | undefined {
    return this.byPeriod(this.reviewCache, periodKey, () => {
      const rows = this.db
        .prepare<[string, string], { unit_code: string; status: Review["status"]; reason: string | null; at: string }>(
          "SELECT unit_code, status, reason, at FROM reviews WHERE form_id = ? AND period_key = ?",
        )
        .all(this.form.id, periodKey);
      return new Map(rows.map((r) => [r.unit_code, { status: r.status, reason: r.reason ?? undefined, at: r.at }]));
    }).get(unit);
  }

  targets(unit: string, year: number): Record<string, number> {
    const rows = this.db
      .prepare<[string, string, number], { field_id: string; value: number }>(
        "SELECT field_id, value FROM targets WHERE unit_code = ? AND form_id = ? AND year = ?",
      )
      .all(unit, this.form.id, year);
    return Object.fromEntries(rows.map((r) => [r.field_id, r.value]));
  }

  /** Everything summarize() needs for `root` and `period`. */
  data(root: Unit, period: Period): SummaryData {
    const units = this.subtree(root.code);
    const byCode = new Map(units.map((u) => [u.code, u]));
    const communeOf = (u: Unit): Unit => {
      let cur: Unit | undefined = u;
      while (cur && cur.level !== "commune") cur = cur.parentCode ? byCode.get(cur.parentCode) : undefined;
      return cur ?? u;
    };
    const areas = units
      .filter((u) => u.level === "area")
      .map((unit) => ({ unit, group: root.level === "commune" || root.level === "area" ? unit : communeOf(unit) }));
    return {
      form: this.form,
      root,
      period,
      areas,
      answers: (u, k) => this.answers(u, k),
      submission: (u, k) => this.submission(u, k),
      review: (u, k) => this.review(u, k),
      targets: this.targets(root.code, period.year),
    };
  }
}
