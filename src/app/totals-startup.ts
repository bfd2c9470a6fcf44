// At start-up the kept totals must be there and agree with the answers before anyone reads them: built on a
// first start (or after a unit moved), and otherwise checked on a sample; a disagreement is logged and the
// totals are rebuilt, so a summary never states a figure the answers do not hold.
import type { FormDef } from "../core/forms/schema.js";
import type { DB } from "../store/db.js";
import { checkTotals, rebuildTotals, totalsNeedRebuild } from "../store/totals-rebuild.js";
import type { Logger } from "./logger.js";

/** What start-up found: the totals were fine, built for the first time (or after a move), or repaired. */
export type TotalsStartup = "checked" | "built" | "repaired";

export function ensureTotals(db: DB, forms: readonly FormDef[], log: Logger): TotalsStartup {
  if (totalsNeedRebuild(db)) {
    const r = rebuildTotals(db, forms);
    log.info({ units: r.units, tallies: r.tallies, ms: Math.round(r.ms) }, "kept totals built from the answers");
    return "built";
  }
  const bad = checkTotals(db, forms);
  if (bad.length === 0) return "checked";
  const first = bad[0]!;
  log.error(
    { mismatches: bad.length, unit: first.unit, form: first.form, period: first.period, variant: first.variant },
    "kept totals disagree with the answers; rebuilding them",
  );
  const r = rebuildTotals(db, forms);
  log.info({ units: r.units, tallies: r.tallies, ms: Math.round(r.ms) }, "kept totals rebuilt from the answers");
  return "repaired";
}
