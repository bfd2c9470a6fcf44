// Which report: one reporting unit's figures for one form and one period. Answers, submissions, reviews,
// the audit trail, drafts and one-time notices are all keyed by it, so it travels as one value.

/** A reporting unit's report of one form for one period (`period` is the period's key, e.g. "2026-M11"). */
export interface ReportKey {
  unit: string;
  form: string;
  period: string;
}

/** Whether two keys name the same report (or both name none). */
export function sameReport(a: ReportKey | undefined, b: ReportKey | undefined): boolean {
  return a?.unit === b?.unit && a?.form === b?.form && a?.period === b?.period;
}

/** A copy holding only the key's own fields (a session or a target carries more). */
export function reportKeyOf(k: ReportKey): ReportKey {
  return { unit: k.unit, form: k.form, period: k.period };
}

/** One string per report, for sets and maps. */
export function reportId(k: ReportKey): string {
  return `${k.unit}|${k.form}|${k.period}`;
}
