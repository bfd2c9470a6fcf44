// Yearly targets of a unit per form and field, set by staff (/chitieu) or from the command line.
import type { DB } from "./db.js";

/** Sets (or replaces) a unit's yearly target for a field; `by` is who set it ("telegram:5002", "cli"). */
export function setTarget(db: DB, t: { unit: string; form: string; year: number; field: string; value: number; by: string; at: string }): void {
  db.prepare(
    `INSERT INTO targets (unit_code, form_id, year, field_id, value, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at`,
  ).run(t.unit, t.form, t.year, t.field, t.value, t.by, t.at);
}
