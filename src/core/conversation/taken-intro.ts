// What a leader is told before the first question of a report that takes figures from another report kind:
// the figures already known ("theo các báo cáo tháng đã nộp (tháng 1–4/2026) … tổ chức 64 buổi tuyên truyền"),
// the periods still missing, and where a wrong one is corrected. Those figures are never asked.
import { formatWithUnit } from "../forms/format-value.js";
import { figureVars } from "../forms/rules.js";
import type { FormDef, Section } from "../forms/schema.js";
import { periodList, type TakenSource } from "../forms/taken-figures.js";
import { takenOf } from "../forms/taken-world.js";
import { fill, type Messages } from "../messages.js";
import { periodLabel, type Period } from "../periods.js";
import type { ReportKey } from "../report-key.js";
import type { AnswerMap } from "../types.js";
import type { Ctx } from "./context.js";

/** "Báo cáo tháng" → "báo cáo tháng", as it reads inside a sentence. */
function inSentence(name: string): string {
  return name.charAt(0).toLocaleLowerCase("vi") + name.slice(1);
}

/** One section's known figures as a phrase: its `known` sentence when every figure in it is known. */
function sectionLine(form: FormDef, section: Section, values: AnswerMap, m: Messages): string | undefined {
  const present = section.fields.filter((f) => f.from && f.id in values && values[f.id] !== null);
  if (present.length === 0) return undefined;
  if (section.known) {
    const text = fill(section.known, figureVars(form, values, m));
    if (!/\{[a-z_][a-z0-9_]*\}/i.test(text)) return text;
  }
  return present.map((f) => `${f.label}: ${formatWithUnit(f, values[f.id], m)}`).join("; ");
}

function sourceLines(form: FormDef, source: TakenSource, values: AnswerMap, area: string, period: Period, m: Messages): string[] {
  const name = inSentence(source.form.name);
  if (source.done.length === 0) {
    return [fill(m.taken_none, { area, source: name, period: periodLabel(period), labels: source.fields.map((f) => f.label).join(", ") })];
  }
  const lines = [fill(m.taken_intro, { source: name, done: periodList(source.done), period: periodLabel(period), area })];
  for (const section of form.sections) {
    if (!section.fields.some((f) => f.from?.form === source.form.id)) continue;
    const text = sectionLine(form, section, values, m);
    if (text) lines.push(fill(m.taken_line, { section: section.short, text }));
  }
  if (source.missing.length > 0) lines.push(fill(m.taken_missing, { source: name, missing: periodList(source.missing) }));
  return lines;
}

/**
 * The lines that open a report with taken figures, or none for a form that asks everything. `values` are the
 * report's answers with the taken figures in them.
 */
export function takenIntro(ctx: Ctx, form: FormDef, report: ReportKey, values: AnswerMap, area: string, period: Period): string[] {
  const taken = takenOf(ctx.world, ctx.forms, report);
  if (!taken || taken.sources.length === 0) return [];
  const m = ctx.messages;
  const lines = taken.sources.flatMap((s) => sourceLines(form, s, values, area, period, m));
  lines.push(fill(m.taken_fix, { source: taken.sources.map((s) => inSentence(s.form.name)).join(", ") }));
  return lines;
}
