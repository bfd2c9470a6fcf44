// /tonghop [loại] [kỳ]: who has submitted, the totals, the comparisons and targets, with the summary draft.
import { periodKey } from "../../periods.js";
import type { CommandHandler } from "../context.js";
import { reply } from "../context.js";
import { staffScope } from "../staff-scope.js";
import { summaryOf, summaryText } from "../summary-text.js";

export const tonghop: CommandHandler = (ctx, ev, args, picked) => {
  const sc = staffScope(ctx, ev, "/tonghop", args, picked?.form);
  if (!sc.ok) return sc.refusal;
  const { unit, form, period } = sc.value;
  const s = summaryOf(ctx, form, unit, period);
  const report = { unit: unit.code, form: form.id, period: periodKey(period) };
  return [reply(ev, summaryText(ctx, s), { document: { kind: "summary_report", report }, chart: report, purpose: "report" })];
};
