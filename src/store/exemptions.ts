// Exemptions as stored: one row per grant, lifted rows kept (lifted_at, lifted_by) so the table is its own audit
// trail. At most one exemption in force per report (a partial unique index). Reads are by report, or by a
// unit's subtree for one form and period — the narrow port summaries and totals count with.
import type { DB } from "./db.js";
import type { Exemption, ExemptionRecord } from "../core/exemption.js";
import type { ReportKey } from "../core/report-key.js";

interface ExemptionRow {
  unit_code: string;
  form_id: string;
  period_key: string;
  reason: string;
  by_person: string;
  by_name: string;
  at: string;
}

const toExemption = (r: ExemptionRow): Exemption => ({
  unit: r.unit_code,
  form: r.form_id,
  period: r.period_key,
  reason: r.reason,
  byPerson: r.by_person,
  by: r.by_name,
  at: r.at,
});

const COLUMNS = "e.unit_code, e.form_id, e.period_key, e.reason, e.by_person, e.by_name, e.at";

export class ExemptionStore {
  private readonly one;
  private readonly underQuery;
  private readonly grantRow;
  private readonly historyQuery;
  private readonly liftRow;

  constructor(db: DB) {
    this.one = db.prepare<[string, string, string], ExemptionRow>(
      `SELECT ${COLUMNS} FROM exemptions e WHERE e.unit_code = ? AND e.form_id = ? AND e.period_key = ? AND e.lifted_at IS NULL`,
    );
    // The subtree walk of summaries (UNION: a damaged tree with a cycle still ends), then the period's rows.
    this.underQuery = db.prepare<[string, string, string], ExemptionRow>(
      `WITH RECURSIVE sub(code) AS (SELECT ? UNION SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code)
       SELECT ${COLUMNS} FROM sub CROSS JOIN exemptions e ON e.unit_code = sub.code
        WHERE e.form_id = ? AND e.period_key = ? AND e.lifted_at IS NULL ORDER BY e.unit_code`,
    );
    this.historyQuery = db.prepare<[string, string, string], ExemptionRow & { lifted_at: string | null; lifted_by_name: string | null }>(
      `SELECT ${COLUMNS}, e.lifted_at, e.lifted_by_name FROM exemptions e WHERE e.unit_code = ? AND e.form_id = ? AND e.period_key = ? ORDER BY e.id`,
    );
    this.grantRow = db.prepare(
      `INSERT INTO exemptions (unit_code, form_id, period_key, reason, by_person, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.liftRow = db.prepare(
      `UPDATE exemptions SET lifted_at = ?, lifted_by_person = ?, lifted_by_name = ?
        WHERE unit_code = ? AND form_id = ? AND period_key = ? AND lifted_at IS NULL`,
    );
  }

  /** The exemption in force for one report. */
  of(k: ReportKey): Exemption | undefined {
    const r = this.one.get(k.unit, k.form, k.period);
    return r ? toExemption(r) : undefined;
  }

  /** Every exemption in force for a form's period among `root` and the units below it, in code order. */
  under(root: string, form: string, periodKey: string): Exemption[] {
    return this.underQuery.all(root, form, periodKey).map(toExemption);
  }

  /** Every grant for one report, lifted ones too, oldest first. */
  history(k: ReportKey): ExemptionRecord[] {
    return this.historyQuery.all(k.unit, k.form, k.period).map((r) => ({
      ...toExemption(r),
      ...(r.lifted_at ? { liftedAt: r.lifted_at, liftedBy: r.lifted_by_name ?? "" } : {}),
    }));
  }

  /** Grants an exemption; one already in force is lifted first (a new reason replaces the old one, both kept). */
  grant(k: ReportKey, reason: string, byPerson: string, byName: string, at: string): void {
    this.liftRow.run(at, byPerson, byName, k.unit, k.form, k.period);
    this.grantRow.run(k.unit, k.form, k.period, reason, byPerson, byName, at);
  }

  /** Lifts the exemption in force, if any. */
  lift(k: ReportKey, byPerson: string, byName: string, at: string): void {
    this.liftRow.run(at, byPerson, byName, k.unit, k.form, k.period);
  }
}
