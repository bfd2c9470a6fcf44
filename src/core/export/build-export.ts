// The spreadsheet staff work with: one row per area and one column per indicator (plus the total), and
// the audit trail of every change after submission, timed in Vietnam's local time.
import { fill, type Messages } from "../messages.js";
import { periodLabel } from "../periods.js";
import { formatDateTime } from "../local-time.js";
import { formatValue } from "../forms/format-value.js";
import { allFields } from "../forms/steps.js";
import { exemptReason, type Summary } from "../aggregate/summary.js";
import { withDerived } from "../aggregate/totals.js";
import { tableFigures, unitOf } from "../report/figures.js";
import type { ReportTexts } from "../report/texts.js";
import type { Value } from "../types.js";
import type { Cell, Sheet } from "./xlsx.js";

export interface HistoryRow {
  at: string;
  unit: string;
  period: string;
  field: string;
  old: Value | null;
  new: Value | null;
  byName: string;
  source: string;
  /** The unit's name, when the summary does not list it (above a commune). */
  unitName?: string;
}

/** An instant (ISO 8601) as local date and time, "24/11/2026 09:15"; text that is not an instant is kept as it is. */
export function localDateTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : formatDateTime(t);
}

function cellOf(v: Value | null | undefined, asText: () => string): Cell {
  if (v === undefined || v === null) return null;
  return typeof v === "number" ? Math.round(v * 10) / 10 : asText();
}

export function buildExport(s: Summary, history: HistoryRow[], texts: ReportTexts, messages: Messages): Sheet[] {
  const t = texts.export;
  const figures = tableFigures(s.form);
  const header = (f: (typeof figures)[number]["figure"]) => {
    const unit = unitOf(f, texts);
    return unit ? `${f.label} (${unit})` : f.label;
  };
  const totalCells = (totals: Summary["totals"]) =>
    figures.map(({ figure }) => {
      const yes = totals.yes[figure.id];
      if (yes) return `${yes.yes}/${yes.of}`;
      return cellOf(totals.values[figure.id], () => formatValue(figure, totals.values[figure.id], messages));
    });
  // A commune's areas one by one; above a commune, one row per unit below the root with its totals.
  const rows: Cell[][] = s.listed
    ? s.areas.map((a) => {
        const all = withDerived(s.form, a.values);
        return [
          a.unit.code,
          a.unit.name,
          a.state === "exempt" ? fill(t.states.exempt, { reason: exemptReason(a) }) : t.states[a.state],
          ...figures.map(({ figure }) => cellOf(all[figure.id], () => formatValue(figure, all[figure.id], messages))),
        ];
      })
    : s.columns.map((c) => [c.unit.code, c.unit.name, `${c.submitted}/${c.total}`, ...(c.counted > 0 ? totalCells(c.totals) : figures.map(() => null))]);
  // Completeness as /tonghop states it: one count, or one per month of a longer period.
  const done =
    s.members.length > 1
      ? s.members.map((m) => fill(messages.summary_member_item, { period: periodLabel(m.period), submitted: m.submitted, total: m.total })).join("; ")
      : `${s.counts.submitted}/${s.counts.expected}`;
  rows.push(["", t.total_row, done, ...totalCells(s.totals)]);
  const fields = new Map(allFields(s.form).map((x) => [x.field.id, x.field]));
  const names = new Map(s.areas.map((a) => [a.unit.code, a.unit.name]));
  const historyRows: Cell[][] = history.map((h) => {
    const f = fields.get(h.field);
    const show = (v: Value | null) => (f ? formatValue(f, v, messages) : String(v));
    return [localDateTime(h.at), names.get(h.unit) ?? h.unitName ?? h.unit, h.period, f?.label ?? h.field, show(h.old), show(h.new), h.byName, t.sources[h.source as "edit"] ?? h.source];
  });
  return [
    {
      name: t.figures_sheet,
      columns: [{ header: t.unit_code }, { header: t.unit_name, width: 24 }, { header: t.status }, ...figures.map(({ figure }) => ({ header: header(figure), width: 16 }))],
      rows,
    },
    { name: t.history_sheet, columns: t.history_columns.map((h) => ({ header: h })), rows: historyRows },
  ];
}
