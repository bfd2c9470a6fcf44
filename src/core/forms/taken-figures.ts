// Figures a form takes from another form's reports instead of asking them again: a six-month report's sessions
// are the sum of the monthly reports of its months. Only what the unit submitted counts (a month in progress
// is not a figure yet); counts and money add up, a percentage, a choice or a yes/no takes the latest, as
// combinePeriods does for any longer period.
import { combinePeriods } from "../aggregate/totals.js";
import { periodKey, periodLabel, type Period } from "../periods.js";
import type { AnswerMap } from "../types.js";
import { memberPeriods } from "./form-periods.js";
import type { Field, FormDef, TakenFrom } from "./schema.js";
import { allFields, applicableValues } from "./steps.js";

/** A field of the form taken from another form, with where from. */
export interface TakenField {
  field: Field;
  from: TakenFrom;
}

/** The fields a form takes from other forms (none for a form that asks everything). */
/** Worked out once per loaded form: every read of a report's answers asks. */
const takenOfForm = new WeakMap<FormDef, TakenField[]>();

export function takenFields(form: FormDef): readonly TakenField[] {
  let taken = takenOfForm.get(form);
  if (!taken) takenOfForm.set(form, (taken = allFields(form).flatMap(({ field }) => (field.from ? [{ field, from: field.from }] : []))));
  return taken;
}

/** Whether a field is taken from another form (never asked, never corrected here). */
export function isTaken(field: Field): boolean {
  return field.from !== undefined;
}

/** One unit's reports of a source form, as the caller reads them. */
export interface SourceReports {
  /** The stored answers of the unit's report of `form` for the period with this key. */
  answers(form: string, periodKey: string): AnswerMap | undefined;
  /** Whether that report is submitted. */
  submitted(form: string, periodKey: string): boolean;
}

/** Where one source form's figures come from: its periods inside this period, and which are submitted. */
export interface TakenSource {
  form: FormDef;
  /** The taken fields of this form that come from `form`. */
  fields: Field[];
  periods: Period[];
  done: Period[];
  missing: Period[];
}

export interface Taken {
  /** The taken figures, by the taking form's field ids (absent when no source period is submitted). */
  values: AnswerMap;
  sources: TakenSource[];
}

/** The taken figures of one unit's report of `form` for `period`. */
export function takeFigures(form: FormDef, forms: readonly FormDef[], period: Period, read: SourceReports): Taken {
  const values: AnswerMap = {};
  const sources: TakenSource[] = [];
  const bySource = new Map<string, TakenField[]>();
  for (const t of takenFields(form)) bySource.set(t.from.form, [...(bySource.get(t.from.form) ?? []), t]);
  for (const [sourceId, taken] of bySource) {
    const source = forms.find((f) => f.id === sourceId);
    const periods = source ? memberPeriods(source, period) : undefined;
    if (!source || !periods) continue;
    const done = periods.filter((p) => read.submitted(source.id, periodKey(p)));
    const combined = combinePeriods(
      source,
      done.map((p) => applicableValues(source, read.answers(source.id, periodKey(p)) ?? {})),
    );
    for (const t of taken) {
      const v = combined[t.from.field];
      if (v !== undefined) values[t.field.id] = v;
    }
    sources.push({ form: source, fields: taken.map((t) => t.field), periods, done, missing: periods.filter((p) => !done.includes(p)) });
  }
  return { values, sources };
}

/** The answers a person gave in a report, without the figures taken from other forms. */
export function askedValues(form: FormDef, values: AnswerMap): AnswerMap {
  const taken = new Set(takenFields(form).map((t) => t.field.id));
  if (taken.size === 0) return values;
  return Object.fromEntries(Object.entries(values).filter(([id]) => !taken.has(id)));
}

/** "Báo cáo tháng" → "báo cáo tháng", as a sentence names a report kind. */
export function kindInSentence(name: string): string {
  return name.charAt(0).toLocaleLowerCase("vi") + name.slice(1);
}

/**
 * For each form this one takes figures from: the short names of the sections holding them, as a sentence lists
 * them ("tuyên truyền, hòa giải, đơn thư"), and the report kind they come from ("báo cáo tháng").
 */
export function takenSections(form: FormDef, sources: readonly FormDef[]): Array<{ source: FormDef; sections: string; reports: string }> {
  return sources.flatMap((source) => {
    const sections = form.sections.filter((s) => s.fields.some((f) => f.from?.form === source.id)).map((s) => kindInSentence(s.short));
    return sections.length > 0 ? [{ source, sections: sections.join(", "), reports: kindInSentence(source.name) }] : [];
  });
}

/** Periods as one short list: "tháng 1, 2, 3/2026" for months of one year, else their labels. */
export function periodList(periods: readonly Period[]): string {
  if (periods.length > 1 && periods.every((p) => p.kind === "month" && p.year === periods[0]!.year)) {
    return `tháng ${periods.map((p) => p.index).join(", ")}/${periods[0]!.year}`;
  }
  return periods.map(periodLabel).join(", ");
}
