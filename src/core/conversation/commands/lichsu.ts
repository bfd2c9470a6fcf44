// /lichsu [loại] <khu>: the audit trail of a unit's report (who changed what, when, old → new; who excused it
// from the report and who lifted that, with the reason).
import { formatWithUnit } from "../../forms/format-value.js";
import { allFields } from "../../forms/steps.js";
import { formatDayClock } from "../../local-time.js";
import { fill } from "../../messages.js";
import { periodKey } from "../../periods.js";
import type { CommandHandler } from "../context.js";
import { reply, reportLabel } from "../context.js";
import { areaScope } from "../staff-scope.js";

export const lichsu: CommandHandler = (ctx, ev, args, picked) => {
  const m = ctx.messages;
  const r = areaScope(ctx, ev, "/lichsu", args, picked?.form);
  if (!r.ok) return r.refusal;
  const { form, area: a } = r.value;
  const report = { unit: a.unit.code, form: form.id, period: periodKey(r.value.period) };
  const entries = ctx.world.history(report);
  const area = a.unit.name;
  const period = reportLabel(ctx, form, r.value.period);
  const fields = new Map(allFields(form).map((x) => [x.field.id, x.field]));
  const dated: Array<{ at: string; line: string }> = entries.map((e) => {
    const f = fields.get(e.field);
    const line = fill(m.history_line, {
      at: formatDayClock(new Date(e.at)),
      name: e.byName,
      label: f?.label ?? e.field,
      old: f ? formatWithUnit(f, e.old, m) : String(e.old),
      new: f ? formatWithUnit(f, e.new, m) : String(e.new),
    });
    return { at: e.at, line };
  });
  for (const x of ctx.world.exemptionHistory(report)) {
    dated.push({ at: x.at, line: fill(m.history_exempt, { at: formatDayClock(new Date(x.at)), name: x.by, reason: x.reason }) });
    if (x.liftedAt) dated.push({ at: x.liftedAt, line: fill(m.history_exempt_lifted, { at: formatDayClock(new Date(x.liftedAt)), name: x.liftedBy ?? "" }) });
  }
  if (dated.length === 0) return [reply(ev, fill(m.history_empty, { area, period }))];
  // ISO instants sort as text; the sort is stable, so a grant stays before the lifting of the same moment.
  const lines = dated.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0)).slice(-20).map((x) => x.line);
  return [reply(ev, [fill(m.history_title, { area, period }), ...lines].join("\n"))];
};
