// Drafts the commune's (or a district's) report from a Summary: the same ND 30 frame, results by field
// written from the sections' summary sentences, completeness (month by month for a multi-month period),
// comparisons with the previous period and the same period last year over the areas that reported both,
// yearly targets, difficulties and proposals gathered with each area's name, headings left for the officer
// to write, and an appendix with one column per unit plus the total, and a table per comparison.
import { fill, type Messages } from "../messages.js";
import { formatDecimal } from "../numbers/format.js";
import { formatValue } from "../forms/format-value.js";
import { figureVars } from "../forms/rules.js";
import { allFields } from "../forms/steps.js";
import { exemptReason, type Comparison, type Summary } from "../aggregate/summary.js";
import { withDerived } from "../aggregate/totals.js";
import { nextPeriod, periodLabel, type Period } from "../periods.js";
import { formatChatDate, formatDocDate, localDate } from "../local-time.js";
import type { AnswerMap, Unit } from "../types.js";
import type { Block, ReportDocument, Table } from "./document.js";
import { comparisonVars, dataRange, isNumeric, resultBlocks, tableCell, tableFigures, unitOf, type Figure } from "./figures.js";
import { asListItems, asSentences, upperFirst } from "./sentences.js";
import { withFormFrame, type ReportTexts } from "./texts.js";
import { reportingLevel } from "../open-reports.js";
import type { FormDef } from "../forms/schema.js";
import { takenSections } from "../forms/taken-figures.js";
import { inSentence, placeName, upper } from "./unit-names.js";

export interface SummaryReportInput {
  /** The report kinds the summary's form takes figures from (their names go into the draft's note). */
  takenFrom?: readonly FormDef[];
  summary: Summary;
  parent?: Unit;
  texts: ReportTexts;
  messages: Messages;
  now: Date;
}

/** How the draft names the units that fill the form ("khu dân cư", or "xã" for a form communes fill). */
function unitsOf(input: SummaryReportInput): string {
  return input.texts.levels[reportingLevel(input.summary.form)];
}

/** Lists of area names longer than this are given as a count. */
const MAX_NAMED = 20;

/** "tháng" or "quý": what one of the form's own periods is called. */
function memberKind(s: Summary, messages: Messages): string {
  return messages[`kind_${s.form.period.kind}`];
}

/** The requested period is made of several of the form's periods (a quarter of a monthly form). */
function multi(s: Summary): boolean {
  return s.members.length > 1;
}

/** " (tính trên 1 khu dân cư báo cáo cả hai kỳ)" when the comparison does not cover every area counted. */
function baseNote(input: SummaryReportInput, c: Comparison | undefined): string {
  const { summary: s, texts, messages } = input;
  if (!c || c.whole) return "";
  const template = multi(s) ? texts.summary.compare_base_members : texts.summary.compare_base;
  return fill(template, { n: c.n, children: unitsOf(input), kind: memberKind(s, messages) });
}

/**
 * Template variables of the summary: figures; for each field the base of a mean ({x|base}, "1/2 khu dân cư có
 * số liệu") and how many areas gave it ({x|answered}); yes-counts ({x|yes}); both comparisons, taken over the
 * areas that reported both periods and naming that base when it is not every area.
 */
export function summaryVars(input: SummaryReportInput): Record<string, string> {
  const { summary: s, texts, messages } = input;
  const vars: Record<string, string> = { ...figureVars(s.form, s.totals.values, messages) };
  for (const { field } of allFields(s.form)) {
    const n = s.totals.counts[field.id];
    if (!n) continue;
    vars[`${field.id}|answered`] = String(n);
    vars[`${field.id}|base`] = fill(texts.summary.base, { n, of: s.totals.units, children: unitsOf(input) });
  }
  for (const [id, y] of Object.entries(s.totals.yes)) vars[`${id}|yes`] = String(y.yes);
  const compare = (c: Comparison | undefined, templates: ReportTexts["compare"], names: Record<string, string>, suffix: string) =>
    comparisonVars(s.form, texts, messages, c?.current.values ?? {}, c?.totals.values, templates, { ...names, base: baseNote(input, c) }, suffix);
  Object.assign(
    vars,
    compare(s.previous, texts.compare, { previous_period: s.previous ? periodLabel(s.previous.period) : "" }, "cmp"),
    compare(s.lastYear, texts.compare_year, { year: String(s.period.year - 1) }, "cmp_year"),
  );
  return vars;
}

function namesOrCount(units: Unit[], children: string): string {
  return units.length > MAX_NAMED ? `${units.length} ${children}` : units.map((u) => u.name).join(", ");
}

/** Who has reported, stated one way: per month for a multi-month period, with what the totals are made of. */
function completeness(input: SummaryReportInput): string {
  const { summary: s, texts, messages } = input;
  const t = texts.summary;
  const date = formatChatDate(localDate(input.now));
  const children = unitsOf(input);
  if (!multi(s)) {
    const missing = s.counts.expected - s.counts.submitted;
    return fill(t.completeness, {
      date,
      submitted: s.counts.submitted,
      total: s.counts.expected,
      children,
      missing_part: missing > 0 ? fill(t.missing_part, { missing: s.listed ? namesOrCount(s.missing.map((a) => a.unit), children) : `${missing} ${children}` }) : "",
    });
  }
  const kind = memberKind(s, messages);
  const members = s.members.map((m) => fill(t.member_item, { period: periodLabel(m.period), submitted: m.submitted, total: m.total }));
  const lines = [fill(t.completeness_members, { date, children, kind, members: members.join("; ") })];
  const missing = s.members
    .filter((m) => m.submitted < m.total)
    .map((m) =>
      m.submitted === 0
        ? fill(t.member_missing_all, { period: periodLabel(m.period), total: m.total, children })
        : fill(t.member_missing_item, { period: periodLabel(m.period), missing: s.listed ? namesOrCount(m.missing, children) : `${m.total - m.submitted} ${children}` }),
    );
  if (missing.length) lines.push(fill(t.members_missing, { items: missing.join("; ") }));
  if (s.counts.contributing > 0) lines.push(fill(t.included, { reports: s.counts.reports, kind, areas: s.counts.contributing, children }));
  return lines.join(" ");
}

/**
 * The units excused by staff, each with its reason ("Ấp Sóc Bế được miễn báo cáo kỳ này (lý do: …)."); above a
 * commune each area names its commune; over twenty, a count. Excused from some months only, the months are named.
 */
function exemptSentences(input: SummaryReportInput): string[] {
  const { summary: s, texts } = input;
  const t = texts.summary;
  // Above a commune the units are counted, not named (each commune's draft names its own).
  if (!s.listed) return s.counts.exempt > 0 ? [fill(t.exempt_count, { n: s.counts.exempt, children: unitsOf(input) })] : [];
  const excused = s.areas.filter((a) => a.exemptions.length > 0);
  if (excused.length === 0) return [];
  if (excused.length > MAX_NAMED) return [fill(t.exempt_count, { n: excused.length, children: unitsOf(input) })];
  return excused.map((a) => {
    const unit = a.group.code === a.unit.code ? a.unit.name : `${a.unit.name} (${inSentence(a.group.name)})`;
    if (a.state === "exempt") return fill(t.exempt_item, { unit, reason: exemptReason(a) });
    const periods = s.members.filter((m) => m.exempt.some((u) => u.code === a.unit.code)).map((m) => periodLabel(m.period));
    return fill(t.exempt_item_members, { unit, periods: periods.join(", "), reason: exemptReason(a) });
  });
}

/** "tháng 10, 11" (or "quý I, II"): the periods an area has submitted, for its column header. */
function membersShort(done: Period[], messages: Messages, kind: Period["kind"]): string {
  const roman = ["I", "II", "III", "IV"];
  const ids = done.map((p) => (p.kind === "quarter" ? roman[p.index - 1]! : String(p.index)));
  return `${messages[`kind_${kind}`]} ${ids.join(", ")}`;
}

/** Unit columns per table: with the total beside them, nine-digit money still fits a landscape page at 13 pt. */
const MAX_UNIT_COLUMNS = 6;

/** The appendix's per-unit tables: one column per area (or commune), the total, and the yearly targets. */
function unitTables(input: SummaryReportInput): Table[] {
  const { summary: s, texts, messages } = input;
  const t = texts.summary;
  const na = texts.table.not_applicable;
  const figures = tableFigures(s.form);
  // Split evenly (8 areas → 4 + 4, not 6 + 2), so no table is left nearly empty.
  const per = Math.ceil(s.columns.length / Math.max(1, Math.ceil(s.columns.length / MAX_UNIT_COLUMNS)));
  const chunks: Array<typeof s.columns> = [];
  for (let i = 0; i < s.columns.length; i += per) chunks.push(s.columns.slice(i, i + per));
  if (chunks.length === 0) chunks.push([]);
  const targets = new Map(s.targets.map((x) => [x.field, x]));
  const ownAreas = new Map(s.areas.filter((a) => a.group.code === a.unit.code).map((a) => [a.unit.code, a]));
  const note = (text: string) => `\n${text}`;
  const header = (c: (typeof s.columns)[number]): string => {
    const own = ownAreas.get(c.unit.code);
    // "(chưa nộp)" is kept on one line (no-break space), never split in two.
    if (own?.state === "exempt") return c.unit.name + note(t.column_exempt.replace(/ /g, "\u00a0"));
    if (own && !own.contributes) return c.unit.name + note(t.column_missing.replace(/ /g, "\u00a0"));
    if (own && !own.complete) return c.unit.name + note(fill(t.column_part, { members: membersShort(own.membersDone, messages, s.form.period.kind) }));
    if (!own && c.counted < c.total) {
      return c.unit.name + note(fill(t.column_count, { n: c.counted, of: c.total, children: unitsOf(input) }));
    }
    return c.unit.name;
  };
  const yesCell = (y: { yes: number; of: number } | undefined): string | undefined => (y ? (y.of > 0 ? `${y.yes}/${y.of}` : na) : undefined);
  const notes = [texts.table.note];
  if (Object.values(s.totals.yes).some((y) => y.of > 0)) notes.push(fill(t.yes_note, { total_column: t.total_column }));
  for (const { field } of allFields(s.form)) {
    const n = s.totals.counts[field.id];
    if (field.kind !== "percentage" || !n) continue;
    const base = fill(t.base, { n, of: s.totals.units, children: unitsOf(input) });
    notes.push(fill(t.mean_note, { label: field.label, total_column: t.total_column, base }));
  }
  return chunks.map((chunk, ci) => {
    const last = ci === chunks.length - 1;
    const columns = [...texts.table.columns.slice(0, 3), ...chunk.map(header)];
    if (last) columns.push(t.total_column);
    if (last && targets.size > 0) columns.push(t.target_column, t.achieved_column);
    const rows = figures.map(({ figure }, i) => {
      const row = [String(i + 1), figure.label, unitOf(figure, texts)];
      for (const c of chunk) {
        // An area's own column shows its answers as given ("Có", a choice); a commune's column its totals.
        const own = ownAreas.get(c.unit.code);
        if (own) row.push(tableCell(figure, own.contributes ? withDerived(s.form, own.values) : undefined, texts, messages));
        else row.push(yesCell(c.totals.yes[figure.id]) ?? tableCell(figure, c.totals.values, texts, messages));
      }
      if (last) row.push(yesCell(s.totals.yes[figure.id]) ?? tableCell(figure, s.totals.values, texts, messages));
      if (last && targets.size > 0) {
        const target = targets.get(figure.id);
        row.push(target ? formatValue(figure, target.target, messages) : na, target ? formatValue(figure, target.achieved, messages) : na);
      }
      return row;
    });
    const n = columns.length;
    const numericColumns = Array.from({ length: n - 3 }, (_, i) => i + 3);
    const widths = [5, 30, 9, ...Array.from({ length: n - 3 }, () => Math.max(6, Math.round(56 / Math.max(1, n - 3))))];
    return { columns, rows, widths, numericColumns, notes: last ? notes : undefined };
  });
}

/** "+850", "−2.500.000", "0": the change from the other period, signed. */
function signedDiff(f: Figure, now: AnswerMap[string] | undefined, before: AnswerMap[string] | undefined, input: SummaryReportInput): string {
  if (typeof now !== "number" || typeof before !== "number") return input.texts.table.not_applicable;
  const diff = now - before;
  const shown = formatValue(f, Math.abs(diff), input.messages);
  return shown === formatValue(f, 0, input.messages) ? shown : `${diff > 0 ? "+" : "−"}${shown}`;
}

/** One comparison as a table: this period and the other over the same areas, and the change. */
function comparisonTable(input: SummaryReportInput, c: Comparison, title: string): Table {
  const { summary: s, texts, messages } = input;
  const t = texts.summary;
  const other = periodLabel(c.period);
  const columns = t.compare_columns.map((x) => upperFirst(fill(x, { period: periodLabel(s.period), other })));
  const rows = tableFigures(s.form)
    .filter(({ figure }) => isNumeric(figure))
    .map(({ figure }, i) => {
      const now = c.current.values[figure.id];
      const before = c.totals.values[figure.id];
      return [
        String(i + 1),
        figure.label,
        unitOf(figure, texts),
        tableCell(figure, c.current.values, texts, messages),
        tableCell(figure, c.totals.values, texts, messages),
        signedDiff(figure, now, before, input),
      ];
    });
  const names = !c.whole && s.listed && c.base.length <= MAX_NAMED ? `: ${c.base.map((u) => u.name).join(", ")}` : "";
  const note = fill(multi(s) ? t.compare_note_members : t.compare_note, {
    n: c.n,
    children: unitsOf(input),
    kind: memberKind(s, messages),
    names,
  });
  return { title, columns, rows, widths: [5, 40, 10, 15, 15, 15], numericColumns: [3, 4, 5], notes: [texts.table.note, note] };
}

function appendixTables(input: SummaryReportInput): Table[] {
  const { summary: s, texts } = input;
  const t = texts.summary;
  const tables = unitTables(input);
  if (s.previous) tables.push(comparisonTable(input, s.previous, fill(t.compare_title, { other: periodLabel(s.previous.period) })));
  if (s.lastYear) tables.push(comparisonTable(input, s.lastYear, fill(t.compare_title_year, { year: s.period.year - 1 })));
  return tables;
}

export function buildSummaryReport(given: SummaryReportInput): ReportDocument {
  // The form's own frame (report_frame) over prompts/report.yaml.
  const input = { ...given, texts: withFormFrame(given.texts, given.summary.form.report_frame) };
  const { summary: s, texts, messages } = input;
  const t = texts.summary;
  const form = s.form;
  // The appendix has a column per unit just below the root: areas, communes or districts.
  const childLevel = (s.listed ? s.areas[0]?.group.level : s.columns[0]?.unit.level) ?? "area";
  const names: Record<string, string> = {
    unit: inSentence(s.root.name),
    parent: input.parent ? inSentence(input.parent.name) : "",
    period: periodLabel(s.period),
    next_period: periodLabel(nextPeriod(s.period)),
    year: String(s.period.year),
    ...dataRange(s.period, form.period.cutoff, input.now),
    subject: form.subject,
    children: texts.levels[childLevel],
  };
  const vars = { ...summaryVars(input), ...names };

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
    if (!s.listed) return { kind: "paragraph", runs: [fill(t.texts_below, { below: texts.levels[childLevel] })] };
    const items = (field ? s.totals.texts[field] ?? [] : [])
      .map((x) => ({ unit: x.unit.name, text: asSentences(x.text) }))
      .filter((x) => x.text !== "")
      .map((x) => fill(t.from_unit, x));
    return items.length ? { kind: "bullets", items: asListItems(items) } : { kind: "paragraph", runs: [t.none] };
  };
  body.push(
    { kind: "heading", level: 1, text: t.evaluation_heading },
    { kind: "heading", level: 2, text: t.strengths_heading },
    { kind: "paragraph", runs: [t.to_fill] },
    { kind: "heading", level: 2, text: t.weaknesses_heading },
    fromUnits(form.difficulties_field),
    { kind: "heading", level: 1, text: t.proposals_heading },
    fromUnits(form.proposals_field),
    { kind: "heading", level: 1, text: upper(fill(t.next_heading, names)) },
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
    intro: [...t.intro.map((p) => [fill(p, names)]), [[completeness(input), ...exemptSentences(input)].join(" ")], ...takenSummaryNote(input)],
    body,
    closing: fill(t.closing, names),
    recipients: t.recipients.map((r) => fill(r, names)),
    // The commune's leader signs by hand: a line for the name.
    signature: { authority: t.signature, signer: t.signer_line },
    appendix: {
      title: t.appendix_title,
      subtitle: fill(t.appendix_subtitle, names),
      table: table!,
      moreTables,
      landscape: true,
    },
  };
}

/** Where the figures the form takes from another report kind come from: each unit's own submitted reports. */
function takenSummaryNote(input: SummaryReportInput): string[][] {
  return takenSections(input.summary.form, input.takenFrom ?? []).map((x) => [
    fill(input.texts.summary.taken_note, { sections: x.sections, reports: x.reports, children: unitsOf(input) }),
  ]);
}
