// Drafts an area's report from its answers: the ND 30 frame from prompts/report.yaml, one numbered item per
// form section written from the section's sentence templates, the free-text answers in their own parts
// (punctuated as sentences), and an appendix table with every figure (and the previous period's, when there
// is one).
import { fill, type Messages } from "../messages.js";
import { comparisonVars, dataRange, resultBlocks, tableCell, unitOf, type Figure } from "./figures.js";
import { figureVars } from "../forms/rules.js";
import type { Field, FormDef } from "../forms/schema.js";
import { applicableValues, derivedValues, fieldApplies } from "../forms/steps.js";
import { periodLabel, previousPeriod, type Period } from "../periods.js";
import { formatDocDate, localDate } from "../local-time.js";
import type { AnswerMap, Unit } from "../types.js";
import type { ReportDocument, Table } from "./document.js";
import { asSentences, upperFirst } from "./sentences.js";
import { withFormFrame, type ReportTexts } from "./texts.js";
import { inSentence, placeName, upper } from "./unit-names.js";
import { periodList, takenSections, type Taken } from "../forms/taken-figures.js";

export interface AreaReportInput {
  form: FormDef;
  texts: ReportTexts;
  messages: Messages;
  /** The reporting unit: an area, or a commune for a form communes fill. */
  area: Unit;
  /** Its commune (the unit itself for a commune). */
  commune: Unit;
  /** The unit above it, named by `{parent}` in a form's own frame (a commune's district). */
  parent?: Unit;
  period: Period;
  values: AnswerMap;
  /** The previous period's answers, when that report was submitted. */
  previous?: AnswerMap;
  /** Who signs; without a name the draft leaves a line to write it on. */
  signer?: string;
  /** Where the figures the form takes from other report kinds come from (which of their periods are in). */
  taken?: Taken;
  now: Date;
}

function appendixTable(input: AreaReportInput, all: AnswerMap, prev: AnswerMap | undefined): Table {
  const { form, texts, messages } = input;
  const period = periodLabel(input.period);
  const previous_period = periodLabel(previousPeriod(input.period));
  const columns = (prev ? texts.table.columns : texts.table.columns_no_previous).map((c) => upperFirst(fill(c, { period, previous_period })));
  const rows: string[][] = [];
  const prevAll = prev ? { ...prev, ...derivedValues(form, prev) } : undefined;
  for (const section of form.sections) {
    for (const f of [...section.fields, ...section.derived] as Figure[]) {
      if (f.kind === "text") continue;
      const isField = section.fields.includes(f as Field);
      const applies = isField ? fieldApplies(section, f as Field, all) : f.id in all;
      const row = [String(rows.length + 1), f.label, unitOf(f, texts), tableCell(f, applies ? all : undefined, texts, messages)];
      if (prevAll) row.push(tableCell(f, prevAll, texts, messages));
      rows.push(row);
    }
  }
  return {
    columns,
    rows,
    widths: prev ? [7, 49, 14, 15, 15] : [8, 56, 16, 20],
    numericColumns: prev ? [3, 4] : [3],
    notes: [texts.table.note],
  };
}

export function buildAreaReport(given: AreaReportInput): ReportDocument {
  // The form's own frame (report_frame) over prompts/report.yaml.
  const input = { ...given, texts: withFormFrame(given.texts, given.form.report_frame) };
  const { form, texts, messages, area, commune, period } = input;
  const t = texts.area;
  const values = applicableValues(form, input.values);
  const all: AnswerMap = { ...values, ...derivedValues(form, values) };
  const prev = input.previous ? applicableValues(form, input.previous) : undefined;
  const prevAll = prev ? { ...prev, ...derivedValues(form, prev) } : undefined;
  const names = {
    area: inSentence(area.name),
    commune: inSentence(commune.name),
    parent: input.parent ? inSentence(input.parent.name) : "",
    period: periodLabel(period),
    year: String(period.year),
    ...dataRange(period, form.period.cutoff, input.now),
    subject: form.subject,
  };
  const previous_period = periodLabel(previousPeriod(period));
  const vars = {
    ...figureVars(form, values, messages),
    // One area against itself: nothing to say about the base.
    ...comparisonVars(form, texts, messages, all, prevAll, texts.compare, { previous_period, base: "" }, "cmp"),
    ...names,
  };
  const body = resultBlocks(form, t.results_heading, all, vars, "sentences").blocks;
  const textOf = (id: string | undefined) => {
    const v = id ? values[id] : undefined;
    return (typeof v === "string" && asSentences(v)) || t.none;
  };
  body.push({ kind: "heading", level: 1, text: t.difficulties_heading });
  body.push({ kind: "paragraph", runs: [textOf(form.difficulties_field)] });
  body.push({ kind: "heading", level: 1, text: t.proposals_heading });
  body.push({ kind: "paragraph", runs: [textOf(form.proposals_field)] });

  const table = appendixTable(input, all, prevAll);
  return {
    header: {
      parentBody: upper(fill(t.parent_body, { commune: commune.name, area: area.name, parent: input.parent?.name ?? "" })),
      issuingBody: upper(fill(t.issuing_body, { commune: commune.name, area: area.name, parent: input.parent?.name ?? "" })),
      numberLine: t.number_line,
      placeAndDate: `${placeName(commune.name)}, ${formatDocDate(localDate(input.now))}`,
    },
    title: t.title,
    subject: fill(t.subject, names),
    intro: [...t.intro.map((p) => [fill(p, names)]), ...takenNote(input)],
    body,
    closing: fill(t.closing, names),
    recipients: t.recipients.map((r) => fill(r, names)),
    signature: { authority: t.signature, signer: input.signer?.trim() || t.signer_line },
    appendix: {
      title: t.appendix_title,
      subtitle: fill(t.appendix_subtitle, names),
      table,
      landscape: false,
    },
  };
}

/** "Số liệu về tuyên truyền, hòa giải, đơn thư được tổng hợp từ các báo cáo tháng đã nộp (tháng 1–4/2026); chưa có …". */
function takenNote(input: AreaReportInput): string[][] {
  const t = input.texts.area;
  return (input.taken?.sources ?? []).flatMap((src) =>
    takenSections(input.form, [src.form])
      .filter(() => src.done.length > 0)
      .map((x) => [
        fill(t.taken_note, {
          sections: x.sections,
          reports: x.reports,
          done: periodList(src.done),
          missing_part: src.missing.length > 0 ? fill(t.taken_missing, { missing: periodList(src.missing) }) : "",
        }),
      ]),
  );
}
