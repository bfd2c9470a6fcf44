// Loads what a Summary needs for one unit's subtree. Answers, submissions and reviews are read a whole period
// at a time for that subtree only (one query each, cached), so a district of thousands of areas costs a
// handful of queries and a commune's summary never reads the rest of the province.
import type { DB } from "./db.js";
import type { FormDef } from "../core/forms/schema.js";
import type { Review, SummaryData } from "../core/aggregate/summary.js";
import type { Period } from "../core/periods.js";
import type { AnswerMap, Submission, Unit, Value } from "../core/types.js";
import { toUnit, type UnitRow } from "./rows.js";
import { ExemptionStore } from "./exemptions.js";
import type { Exemption } from "../core/exemption.js";


export class SummarySource {
  private readonly answerCache = new Map<string, Map<string, AnswerMap>>();
  private readonly submissionCache = new Map<string, Map<string, Submission>>();
  private readonly reviewCache = new Map<string, Map<string, Review>>();
  private readonly exemptionCache = new Map<string, Map<string, Exemption>>();

  constructor(
    private readonly db: DB,
    private readonly form: FormDef,
    private readonly root: Unit,
  ) {}

  /** The units of the subtree, as a CTE the period queries join on (CROSS JOIN keeps SQLite walking the
   * subtree first, through the primary keys, instead of scanning the whole period across the province).
   * UNION, not UNION ALL: each unit enters the walk once, so even a damaged tree with a cycle ends the walk
   * (bounded by the number of units) instead of spinning forever. */
  private static readonly SUBTREE =
    "WITH RECURSIVE sub(code) AS (SELECT ? UNION SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code)";

  /** Every unit in the subtree (root included), in code order. */
  subtree(): Unit[] {
    return this.db
      .prepare<[string], UnitRow>(`${SummarySource.SUBTREE} SELECT units.* FROM units JOIN sub USING (code) ORDER BY units.code`)
      .all(this.root.code)
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
        .prepare<[string, string, string], { unit_code: string; field_id: string; value_json: string | null }>(
          `${SummarySource.SUBTREE} SELECT a.unit_code, a.field_id, a.value_json FROM sub CROSS JOIN answers a ON a.unit_code = sub.code
            WHERE a.form_id = ? AND a.period_key = ?`,
        )
        .all(this.root.code, this.form.id, periodKey);
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
        .prepare<[string, string, string], { unit_code: string; status: Submission["status"]; version: number; completed_at: string | null }>(
          `${SummarySource.SUBTREE} SELECT s.unit_code, s.status, s.version, s.completed_at FROM sub CROSS JOIN submissions s ON s.unit_code = sub.code
            WHERE s.form_id = ? AND s.period_key = ?`,
        )
        .all(this.root.code, this.form.id, periodKey);
      return new Map(rows.map((r) => [r.unit_code, { status: r.status, version: r.version, completedAt: r.completed_at ?? undefined }]));
    }).get(unit);
  }

  review(unit: string, periodKey: string): Review | undefined {
    return this.byPeriod(this.reviewCache, periodKey, () => {
      const rows = this.db
        .prepare<[string, string, string], { unit_code: string; status: Review["status"]; reason: string | null; at: string }>(
          `${SummarySource.SUBTREE} SELECT r.unit_code, r.status, r.reason, r.at FROM sub CROSS JOIN reviews r ON r.unit_code = sub.code
            WHERE r.form_id = ? AND r.period_key = ?`,
        )
        .all(this.root.code, this.form.id, periodKey);
      return new Map(rows.map((r) => [r.unit_code, { status: r.status, reason: r.reason ?? undefined, at: r.at }]));
    }).get(unit);
  }

  exemption(unit: string, periodKey: string): Exemption | undefined {
    return this.byPeriod(this.exemptionCache, periodKey, () => {
      const rows = new ExemptionStore(this.db).under(this.root.code, this.form.id, periodKey);
      return new Map(rows.map((e) => [e.unit, e]));
    }).get(unit);
  }

  /** Everything summarize() needs for the root and `period`; targets come from the caller. */
  data(period: Period, targets: Record<string, number>): SummaryData {
    const root = this.root;
    const units = this.subtree();
    const byCode = new Map(units.map((u) => [u.code, u]));
    // Each reporting unit is shown under the root's child on its path: an area under its commune is itself, a
    // commune under a district is itself, an area under a district is its commune… and the root itself (a
    // commune filling a commune's form) is itself.
    const childOfRoot = (u: Unit): Unit => {
      if (u.code === root.code) return u;
      let cur = u;
      while (cur.parentCode && cur.parentCode !== root.code) {
        const parent = byCode.get(cur.parentCode);
        if (!parent) break;
        cur = parent;
      }
      return cur;
    };
    const levels: readonly string[] = this.form.applies_to;
    const areas = units.filter((u) => levels.includes(u.level)).map((unit) => ({ unit, group: childOfRoot(unit) }));
    return {
      form: this.form,
      root,
      period,
      areas,
      answers: (u, k) => this.answers(u, k),
      submission: (u, k) => this.submission(u, k),
      review: (u, k) => this.review(u, k),
      exemption: (u, k) => this.exemption(u, k),
      targets,
    };
  }
}
