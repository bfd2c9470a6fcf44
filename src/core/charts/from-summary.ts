// The one adapter from today's Summary to a chart's input: area rows for a commune, commune rows above it,
// and the previous period's figures of each row from the previous period's Summary.
import type { AreaStatus, Summary } from "../aggregate/summary.js";
import { withDerived } from "../aggregate/totals.js";
import { periodLabel } from "../periods.js";
import { tableFigures } from "../report/figures.js";
import type { AnswerMap } from "../types.js";
import type { ChartInput, ChartRow, FigureKind } from "./input.js";

function numbers(values: AnswerMap): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
  return out;
}

/** True when a commune's summary: every area is its own row. */
export function isAreaLevel(s: Summary): boolean {
  return s.listed;
}

/**
 * The chart of a summary. `previous` is the Summary of the period before (its rows give each unit's previous
 * figures); without it only the totals carry a previous period.
 */
export function chartInputFromSummary(s: Summary, previous: Summary | undefined, asOf: Date): ChartInput {
  const kinds: Record<string, FigureKind> = {};
  for (const { figure } of tableFigures(s.form)) {
    if (figure.kind === "count" || figure.kind === "money" || figure.kind === "percentage") kinds[figure.id] = figure.kind;
  }
  const panels = s.form.chart.map((p) => ({
    title: p.title,
    note: p.note,
    bars: p.bars.filter((b) => kinds[b.field]).map((b) => ({ field: b.field, label: b.label, kind: kinds[b.field]! })),
  }));

  const areaLevel = isAreaLevel(s);
  const own = (a: AreaStatus | undefined) => (a?.contributes ? numbers(withDerived(s.form, a.values)) : undefined);
  let rows: ChartRow[];
  if (areaLevel) {
    const before = new Map(previous?.areas.map((a) => [a.unit.code, a]));
    rows = s.areas.map((a) => ({
      name: a.unit.name,
      status: { kind: "area", state: a.state, sectionsDone: a.sectionsDone, sectionsTotal: a.sectionsTotal },
      values: own(a),
      previous: own(before.get(a.unit.code)),
    }));
  } else {
    const before = new Map(previous?.columns.map((c) => [c.unit.code, c]));
    rows = s.columns.map((c) => ({
      name: c.unit.name,
      status: { kind: "group", submitted: c.submitted, total: c.total },
      values: c.counted > 0 ? numbers(c.totals.values) : undefined,
      previous: (before.get(c.unit.code)?.counted ?? 0) > 0 ? numbers(before.get(c.unit.code)!.totals.values) : undefined,
    }));
  }

  return {
    unitName: s.root.name,
    periodLabel: periodLabel(s.period),
    previousLabel: s.previous ? periodLabel(s.previous.period) : undefined,
    rowLevel: areaLevel ? "area" : "commune",
    submitted: s.counts.submitted,
    total: s.counts.expected,
    exempt: s.counts.exempt,
    panels,
    kinds,
    totals: {
      values: s.counts.contributing > 0 ? numbers(s.totals.values) : undefined,
      // The whole unit's previous bar only when the same areas reported both periods (like with like).
      previous: s.previous?.whole ? numbers(s.previous.totals.values) : undefined,
    },
    rows,
    asOf,
  };
}
