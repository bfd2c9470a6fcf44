// Shared by every report draft: the figures of a form in order, their units and appendix cells, comparison
// phrases, the data range a draft states, and template filling that leaves out a sentence rather than print
// it half-filled.
import { fill, type Messages } from "../messages.js";
import { formatValue } from "../forms/format-value.js";
import type { Derived, Field, FormDef, Section } from "../forms/schema.js";
import { holds } from "../forms/steps.js";
import { periodRange, type CutoffRule, type Period } from "../periods.js";
import { formatChatDate, localDate } from "../local-time.js";
import type { Block } from "./document.js";
import type { AnswerMap } from "../types.js";
import { upperFirst } from "./sentences.js";
import type { ReportTexts } from "./texts.js";

export type Figure = Field | Derived;

/** Every figure that belongs in a table (not free text), with its section, in form order. */
export function tableFigures(form: FormDef): Array<{ section: Section; figure: Figure }> {
  return form.sections.flatMap((section) =>
    [...section.fields, ...section.derived]
      .filter((f) => f.kind !== "text")
      .map((figure) => ({ section, figure: figure as Figure })),
  );
}

/** A figure that adds up or compares as a number (counts, money, percentages and the ratios derived). */
export function isNumeric(f: Figure): boolean {
  return f.kind === "count" || f.kind === "money" || f.kind === "percentage";
}

/**
 * A figure in an appendix cell, one sign for each case in every table: the figure ("0" for zero), or
 * texts.table.not_applicable ("-") when there is none (not applicable, not answered, not submitted).
 * Yes/no and choices start with a capital, like every cell of a table.
 */
export function tableCell(f: Figure, values: AnswerMap | undefined, texts: ReportTexts, messages: Messages): string {
  const v = values?.[f.id];
  if (v === undefined || v === null) return texts.table.not_applicable;
  return upperFirst(formatValue(f, v, messages));
}

/**
 * "từ ngày … đến ngày …" of a draft: the period's cut-off range, ending on the day the draft is made when that
 * comes first, so a draft dated 10/12 never claims figures up to 14/12.
 */
export function dataRange(period: Period, cutoff: CutoffRule, now: Date): { from: string; to: string } {
  const range = periodRange(period, cutoff);
  const today = localDate(now);
  const end = today >= range.start && today < range.end ? today : range.end;
  return { from: formatChatDate(range.start), to: formatChatDate(end) };
}

export function unitOf(f: Figure, texts: ReportTexts): string {
  if (f.kind === "money") return texts.table.money_unit;
  if (f.kind === "percentage") return texts.table.percent_unit;
  return "unit" in f && typeof f.unit === "string" ? f.unit : "";
}

/**
 * "{x|cmp}" (or another suffix) → ", tăng 20 lượt người so với tháng 10/2026"; empty when there is nothing
 * to compare with, so the sentence still reads. `names` fills the templates' other placeholders, {base}
 * included (the areas compared, or "" when that needs no saying).
 */
export function comparisonVars(
  form: FormDef,
  texts: ReportTexts,
  messages: Messages,
  now: AnswerMap,
  before: AnswerMap | undefined,
  templates: { up: string; down: string; same: string },
  names: Record<string, string>,
  suffix: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const section of form.sections) {
    for (const f of [...section.fields, ...section.derived] as Figure[]) {
      if (!isNumeric(f)) continue;
      const a = now[f.id];
      const b = before?.[f.id];
      if (typeof a !== "number" || typeof b !== "number") {
        out[`${f.id}|${suffix}`] = "";
        continue;
      }
      const diff = a - b;
      const template = diff > 0 ? templates.up : diff < 0 ? templates.down : templates.same;
      out[`${f.id}|${suffix}`] = fill(template, { ...names, diff: formatValue(f, Math.abs(diff), messages), unit: unitOf(f, texts) })
        .replace(/ {2,}/g, " ")
        .replace(/ ,/g, ",");
    }
  }
  return out;
}

/** Fills {name} and {name|suffix}; undefined when a placeholder is left, so the sentence is dropped. */
export function fillTemplate(template: string, vars: Record<string, string>): string | undefined {
  const pattern = /\{([a-z_][a-z0-9_]*(?:\|[a-z_]+)?)\}/g;
  const text = template.replace(pattern, (whole, name: string) => vars[name] ?? whole);
  return pattern.test(text) ? undefined : text;
}

/**
 * Part I of every draft: one numbered item per form section (free-text sections excepted), written from the
 * section's sentence templates, or its "nothing to report" sentence when none applies.
 */
export function resultBlocks(
  form: FormDef,
  heading: string,
  values: AnswerMap,
  vars: Record<string, string>,
  which: "sentences" | "summary_sentences",
): { blocks: Block[]; count: number } {
  const freeText = new Set([form.difficulties_field, form.proposals_field].filter(Boolean));
  const blocks: Block[] = [{ kind: "heading", level: 1, text: heading }];
  let count = 0;
  for (const section of form.sections) {
    if (section.fields.every((f) => freeText.has(f.id))) continue;
    count += 1;
    blocks.push({ kind: "heading", level: 2, text: `${count}. ${section.title}` });
    const templates = (which === "summary_sentences" ? section.report.summary_sentences : undefined) ?? section.report.sentences;
    const sentences = holds(section.when, values)
      ? templates.filter((x) => holds(x.when, values)).map((x) => fillTemplate(x.text, vars)).filter((x): x is string => !!x)
      : [];
    for (const sentence of sentences.length ? sentences : [section.report.empty]) blocks.push({ kind: "paragraph", runs: [sentence] });
  }
  return { blocks, count };
}
