// The stored facts with the figures forms take from other forms filled in: a report's answers, and the answers a
// summary reads, carry the taken figures beside what was asked, so questions, /xem, rules, drafts, summaries,
// the appendix, the charts and the export use them like any figure without knowing where they came from.
// They are computed on every read, never stored: a corrected monthly report changes the six-month one too.
import type { SummaryData } from "../aggregate/summary.js";
import { parsePeriodKey } from "../periods.js";
import type { ReportKey } from "../report-key.js";
import type { AnswerMap } from "../types.js";
import type { World } from "../world.js";
import type { FormDef } from "./schema.js";
import { takeFigures, takenFields, type Taken } from "./taken-figures.js";

/** The taken figures of one report (and where they come from), read through the World. */
export function takenOf(world: World, forms: readonly FormDef[], report: ReportKey): Taken | undefined {
  const form = forms.find((f) => f.id === report.form);
  if (!form || takenFields(form).length === 0) return undefined;
  const period = parsePeriodKey(report.period);
  if (!period) return undefined;
  return takeFigures(form, forms, period, {
    answers: (source, key) => world.answers({ unit: report.unit, form: source, period: key }),
    submitted: (source, key) => world.submission({ unit: report.unit, form: source, period: key })?.status === "completed",
  });
}

/**
 * A World whose answers include the taken figures of forms that declare some. The same object otherwise, so a
 * store's own extra reads stay available. Forms without taken figures read exactly as before.
 */
export function withTakenFigures<W extends World>(world: W, forms: readonly FormDef[]): W {
  if (!forms.some((f) => takenFields(f).length > 0)) return world;
  const answers = (report: ReportKey): AnswerMap => {
    const stored = world.answers(report);
    const taken = takenOf(world, forms, report);
    return taken ? { ...stored, ...taken.values } : stored;
  };
  const summaryData = (root: Parameters<World["summaryData"]>[0], form: FormDef, period: Parameters<World["summaryData"]>[2]): SummaryData => {
    const data = world.summaryData(root, form, period);
    if (takenFields(form).length === 0) return data;
    // The source forms' reports of the same subtree, read a period at a time like the summary's own.
    const sources = new Map<string, SummaryData>();
    const source = (id: string): SummaryData | undefined => {
      const f = forms.find((x) => x.id === id);
      if (!f) return undefined;
      if (!sources.has(id)) sources.set(id, world.summaryData(root, f, period));
      return sources.get(id);
    };
    return {
      ...data,
      answers: (unit, key) => {
        const stored = data.answers(unit, key);
        const p = parsePeriodKey(key);
        // A unit that has not begun this report has no figures yet, taken or asked.
        if (!stored || !p) return stored;
        const taken = takeFigures(form, forms, p, {
          answers: (sourceId, k) => source(sourceId)?.answers(unit, k),
          submitted: (sourceId, k) => source(sourceId)?.submission(unit, k)?.status === "completed",
        });
        return { ...stored, ...taken.values };
      },
    };
  };
  // Every read of a decision goes through here: each method is bound once, not on every call.
  const bound = new Map<PropertyKey, unknown>([
    ["answers", answers],
    ["summaryData", summaryData],
  ]);
  return new Proxy(world, {
    get(target, prop, receiver) {
      const known = bound.get(prop);
      if (known !== undefined) return known;
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== "function") return v;
      const fn = (v as (...a: unknown[]) => unknown).bind(target);
      bound.set(prop, fn);
      return fn;
    },
  });
}
