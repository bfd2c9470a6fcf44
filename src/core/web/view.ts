// What the web view shows of one open report, as plain data: the same progress facts as /tiendo, the totals
// beside the previous period, and each unit's figures. Built from the same Summary as /tonghop; the page
// (page.ts) only lays it out.
import { exemptReason, type AreaStatus, type Summary } from "../aggregate/summary.js";
import { withDerived, type Totals } from "../aggregate/totals.js";
import { isAreaLevel } from "../charts/from-summary.js";
import type { ChartTexts } from "../charts/texts.js";
import { deadlineLine } from "../conversation/progress-text.js";
import type { Ctx } from "../conversation/context.js";
import { fill } from "../messages.js";
import { formatValue } from "../forms/format-value.js";
import { periodKey, periodLabel } from "../periods.js";
import { tableFigures, unitOf } from "../report/figures.js";
import type { AnswerMap } from "../types.js";
import type { WebTexts } from "./texts.js";

export interface UnitLink {
  code: string;
  name: string;
}

export interface ProgressRow extends UnitLink {
  number: number;
  /** "submitted", "in_progress"… for an area; "group" for a commune with its share of areas in. */
  state: AreaStatus["state"] | "group";
  text: string;
  /** A commune (or higher): its own page can be opened. */
  drillDown: boolean;
  /** An area that has submitted: its draft can be downloaded. */
  draft: boolean;
}

export interface FigureTable {
  columns: string[];
  rows: Array<{ label: string; unit: string; cells: string[] }>;
}

export interface ReportView {
  /** The HTML id of its section. */
  anchor: string;
  formId: string;
  periodKey: string;
  heading: string;
  deadline: string;
  progressSummary: string;
  rowLevel: "area" | "commune";
  progress: ProgressRow[];
  /** This period's totals and the previous period's; absent while nobody has submitted. */
  totals?: FigureTable;
  /** One column per unit; absent while nobody has submitted. */
  figures?: FigureTable;
}

/** The state as /tiendo tells it: part-way with its sections, returned with the reason, changed after review. */
function stateText(ctx: Ctx, a: AreaStatus, chart: ChartTexts): string {
  const changed = a.changedSinceReview ? ` ${ctx.messages.progress_changed}` : "";
  if (a.state === "in_progress") return fill(chart.states.in_progress, { done: a.sectionsDone, total: a.sectionsTotal }) + changed;
  const base = chart.states[a.state];
  if (a.state === "exempt") return `${base}: ${exemptReason(a)}`;
  return (a.state === "returned" && a.review?.reason ? `${base}: ${a.review.reason}` : base) + changed;
}

/** The web view of one report over a unit's subtree. */
export function reportView(ctx: Ctx, s: Summary, texts: { web: WebTexts; chart: ChartTexts }): ReportView {
  const { web, chart } = texts;
  const key = periodKey(s.period);
  const areaLevel = isAreaLevel(s);
  const progress: ProgressRow[] = areaLevel
    ? s.areas.map((a, i) => ({
        code: a.unit.code,
        name: a.unit.name,
        number: i + 1,
        state: a.state,
        text: stateText(ctx, a, chart),
        drillDown: false,
        draft: a.state === "submitted" || a.state === "accepted",
      }))
    : s.columns.map((c, i) => ({
        code: c.unit.code,
        name: c.unit.name,
        number: i + 1,
        state: "group",
        text: fill(web.group_state, { submitted: c.submitted, total: c.total }),
        drillDown: true,
        draft: false,
      }));

  const figures = tableFigures(s.form).map((x) => x.figure);
  const cell = (values: AnswerMap | undefined, f: (typeof figures)[number]) => {
    const v = values?.[f.id];
    return v === undefined || v === null ? ctx.report.table.not_applicable : formatValue(f, v, ctx.messages);
  };
  const yes = (y: { yes: number; of: number } | undefined) => (y ? `${y.yes}/${y.of}` : undefined);
  const anyIn = s.counts.contributing > 0;

  let totals: FigureTable | undefined;
  let perUnit: FigureTable | undefined;
  if (anyIn) {
    const capital = (t: string) => t.charAt(0).toLocaleUpperCase("vi") + t.slice(1);
    const columns = [web.columns.figure, web.columns.unit, capital(periodLabel(s.period))];
    // Like with like: when not every area reported both periods, both sides of the comparison are taken over
    // the areas that did, and the headers say so.
    const prev = s.previous;
    const partial = prev && !prev.whole;
    const over = (period: string) => fill(web.compared_column, { period: capital(period), n: prev?.n ?? 0 });
    if (prev && partial) columns.push(over(periodLabel(s.period)), over(periodLabel(prev.period)));
    else if (prev) columns.push(capital(periodLabel(prev.period)));
    const side = (t: Totals, f: (typeof figures)[number]) => yes(t.yes[f.id]) ?? cell(t.values, f);
    totals = {
      columns,
      rows: figures.map((f) => ({
        label: f.label,
        unit: unitOf(f, ctx.report),
        cells: [side(s.totals, f), ...(prev ? (partial ? [side(prev.current, f), side(prev.totals, f)] : [side(prev.totals, f)]) : [])],
      })),
    };
    const units = areaLevel
      ? s.areas.map((a) => ({ name: a.unit.name, values: a.contributes ? withDerived(s.form, a.values) : undefined, yes: undefined }))
      : s.columns.map((c) => ({
          name: c.unit.name,
          values: c.counted > 0 ? c.totals.values : undefined,
          yes: c.totals.yes,
        }));
    perUnit = {
      columns: [web.columns.figure, web.columns.unit, ...units.map((u) => u.name)],
      rows: figures.map((f) => ({
        label: f.label,
        unit: unitOf(f, ctx.report),
        cells: units.map((u) => (u.values ? (yes(u.yes?.[f.id]) ?? cell(u.values, f)) : ctx.report.table.not_applicable)),
      })),
    };
  }

  return {
    anchor: `bc-${s.form.id}-${key}`.replace(/[^a-zA-Z0-9_-]/g, "-"),
    formId: s.form.id,
    periodKey: key,
    heading: fill(web.report_heading, { subject: s.form.subject, period: periodLabel(s.period) }),
    deadline: deadlineLine(ctx, s.form, s.period),
    progressSummary: fill(web.progress_summary, { submitted: s.counts.submitted, total: s.counts.expected, exempt: s.counts.exempt ? fill(web.progress_exempt, { n: s.counts.exempt }) : "" }),
    rowLevel: areaLevel ? "area" : "commune",
    progress,
    totals,
    figures: perUnit,
  };
}
