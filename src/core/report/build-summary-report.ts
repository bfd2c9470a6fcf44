// Drafts the commune's (or a district's) report from a Summary: the same ND 30 frame, results by field
// written from the sections' summary sentences, completeness, comparisons with the previous period and the
// same period last year, yearly targets, difficulties and proposals gathered with each area's name,
// headings left for the officer to write, and an appendix with one column per unit plus the total.
import { fill, type Messages } from "../messages.js";
import { formatDecimal } from "../numbers/format.js";
import { formatValue } from "../forms/format-value.js";
import { figureVars } from "../forms/rules.js";
import type { Summary } from "../aggregate/summary.js";
import { withDerived } from "../aggregate/totals.js";
import { formatChatDate, formatDocDate, localDate, nextPeriod, periodLabel, periodRange } from "../periods.js";
import type { AnswerMap, Unit } from "../types.js";
import type { Block, ReportDocument, Table } from "./document.js";
import { comparisonVars, resultBlocks, tableFigures, unitOf } from "./figures.js";
import type { ReportTexts } from "./texts.js";
import { inSentence, placeName, upper } from "./unit-names.js";

export interface SummaryReportInput {
  summary: Summary;
  parent?: Unit;
  texts: ReportTexts;
  messages: Messages;
  now: Date;
}

/** Template variables of a totals map: figures, yes-counts ("3/8") and both comparisons. */
export function summaryVars(input: SummaryReportInput): Record<string, string> {
  const { summary: s, texts, messages } = input;
  const vars: Record<string, string> = { ...figureVars(s.form, s.totals.values, messages) };
  for (const [id, y] of Object.entries(s.totals.yes)) vars[`${id}|yes`] = fill(texts.summary.yes_count, { yes: y.yes, of: y.of });
  Object.assign(
    vars,
    comparisonVars(s.form, texts, messages, s.totals.values, s.previous?.totals.values, texts.compare, { previous_period: s.previous ? periodLabel(s.previous.period) : "" }, "cmp"),
    comparisonVars(s.form, texts, messages, s.totals.values, s.lastYear?.totals.values, texts.compare_year, { year: String(s.period.year - 1) }, "cmp_year"),
  );
  return vars;
}

const MAX_UNIT_COLUMNS = 8;

function appendixTables(input: SummaryReportInput): Table[] {
  const { summary: s, texts, messages } = input;
  const figures = tableFigures(s.form);
  const cell = (values: AnswerMap, id: string, f: Parameters<typeof formatValue>[0]) =>
    id in values ? formatValue(f, values[id], messages) : texts.table.not_applicable;
  const chunks: Array<typeof s.columns> = [];
  for (let i = 0; i < s.columns.length; i += MAX_UNIT_COLUMNS) chunks.push(s.columns.slice(i, i + MAX_UNIT_COLUMNS));
  if (chunks.length === 0) chunks.push([]);
  const targets = new Map(s.targets.map((t) => [t.field, t]));
  const areaValues = new Map(
    s.areas.filter((a) => a.group.code === a.unit.code).map((a) => [a.unit.code, a.contributes ? withDerived(s.form, a.values) : {}]),
  );
  return chunks.map((chunk, ci) => {
    const last = ci === chunks.length - 1;
    const columns = [...texts.table.columns.slice(0, 3), ...chunk.map((c) => c.unit.name)];
    if (last) columns.push(texts.summary.total_column);
    if (last && targets.size > 0) columns.push(texts.summary.target_column, texts.summary.achieved_column);
    const rows = figures.map(({ figure }, i) => {
      const yes = s.totals.yes[figure.id];
      const row = [String(i + 1), figure.label, unitOf(figure, texts) || texts.table.not_applicable];
      for (const c of chunk) {
        // An area's own column shows its answers as given ("có", a choice); a commune's column its totals.
        const own = areaValues.get(c.unit.code);
        const y = c.totals.yes[figure.id];
        if (own) row.push(cell(own, figure.id, figure));
        else row.push(y ? `${y.yes}/${y.of}` : cell(c.totals.values, figure.id, figure));
      }
      if (last) row.push(yes ? `${yes.yes}/${yes.of}` : cell(s.totals.values, figure.id, figure));
      if (last && targets.size > 0) {
        const t = targets.get(figure.id);
        row.push(t ? formatValue(figure, t.target, messages) : "", t ? formatValue(figure, t.achieved, messages) : "");
      }
      return row;
    });
    const n = columns.length;
    const numericColumns = Array.from({ length: n - 3 }, (_, i) => i + 3);
    const widths = [5, 30, 9, ...Array.from({ length: n - 3 }, () => Math.max(6, Math.round(56 / Math.max(1, n - 3))))];
    return { columns, rows, widths, numericColumns };
  });
}

export function buildSummaryReport(input: SummaryReportInput): ReportDocument {
  const { summary: s, texts, messages } = input;
  const t = texts.summary;
  const form = s.form;
  const range = periodRange(s.period, form.period.cutoff);
  const childLevel = s.areas[0]?.group.code === s.areas[0]?.unit.code ? "area" : "commune";
  const names: Record<string, string> = {
    unit: inSentence(s.root.name),
    parent: input.parent ? inSentence(input.parent.name) : "",
    period: periodLabel(s.period),
    next_period: periodLabel(nextPeriod(s.period)),
    year: String(s.period.year),
    from: formatChatDate(range.start),
    to: formatChatDate(range.end),
    subject: form.subject,
    children: texts.levels[childLevel],
  };
  const vars = { ...summaryVars(input), ...names };

  const missing = s.missing.map((a) => a.unit.name);
  const completeness = fill(t.completeness, {
    date: formatChatDate(localDate(input.now)),
    submitted: s.submitted.length,
    total: s.areas.length,
    children: texts.levels.area,
    missing_part: missing.length ? fill(t.missing_part, { missing: missing.join(", ") }) : "",
  });

  const { blocks: body, count } = resultBlocks(form, t.results_heading, s.totals.values, vars, "summary_sentences");
  let n = count;
  if (s.targets.length > 0) {
    n += 1;
    body.push({ kind: "heading", level: 2, text: fill(t.targets_heading, { n, year: s.period.year }) });
    const figures = new Map(tableFigures(form).map((x) => [x.figure.id, x.figure]));
    for (const target of s.targets) {
      const f = figures.get(target.field);
      if (!f) continue;
      body.push({
        kind: "paragraph",
        runs: [
          fill(t.target_line, {
            label: f.label,
            achieved: formatValue(f, target.achieved, messages),
            target: formatValue(f, target.target, messages),
            unit: unitOf(f, texts),
            percent: formatDecimal(target.target > 0 ? (100 * target.achieved) / target.target : 0, 1),
          }).replace(/ {2,}/g, " "),
        ],
      });
    }
  }

  const fromUnits = (field: string | undefined): Block => {
    const items = (field ? s.totals.texts[field] ?? [] : []).map((x) => fill(t.from_unit, { unit: x.unit.name, text: x.text }));
    return items.length ? { kind: "bullets", items } : { kind: "paragraph", runs: [t.none] };
  };
  body.push(
    { kind: "heading", level: 1, text: t.evaluation_heading },
    { kind: "heading", level: 2, text: t.strengths_heading },
    { kind: "paragraph", runs: [t.to_fill] },
    { kind: "heading", level: 2, text: t.weaknesses_heading },
    fromUnits(form.difficulties_field),
    { kind: "heading", level: 1, text: t.proposals_heading },
    fromUnits(form.proposals_field),
    { kind: "heading", level: 1, text: fill(t.next_heading, names).toLocaleUpperCase("vi") },
    { kind: "paragraph", runs: [t.to_fill] },
  );

  const [table, ...moreTables] = appendixTables(input);
  return {
    header: {
      parentBody: upper(fill(t.parent_body, { parent: input.parent?.name ?? "" })).trim(),
      issuingBody: upper(fill(t.issuing_body, { unit: s.root.name })),
      numberLine: t.number_line,
      placeAndDate: `${placeName(s.root.name)}, ${formatDocDate(localDate(input.now))}`,
    },
    title: t.title,
    subject: fill(t.subject, names),
    intro: [...t.intro.map((p) => [fill(p, names)]), [completeness]],
    body,
    closing: fill(t.closing, names),
    recipients: t.recipients.map((r) => fill(r, names)),
    signature: { authority: t.signature, signer: "" },
    appendix: {
      title: t.appendix_title,
      subtitle: fill(t.appendix_subtitle, names),
      table: table!,
      moreTables,
      landscape: true,
    },
  };
}
