// /lichsu [loại] <khu>: the audit trail of a unit's report (who changed what, when, old → new).
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
  const entries = ctx.world.history({ unit: a.unit.code, form: form.id, period: periodKey(r.value.period) });
  const area = a.unit.name;
  const period = reportLabel(ctx, form, r.value.period);
  if (entries.length === 0) return [reply(ev, fill(m.history_empty, { area, period }))];
  const fields = new Map(allFields(form).map((x) => [x.field.id, x.field]));
  const lines = entries.slice(-20).map((e) => {
    const f = fields.get(e.field);
    return fill(m.history_line, {
      at: formatDayClock(new Date(e.at)),
      name: e.byName,
      label: f?.label ?? e.field,
      old: f ? formatWithUnit(f, e.old, m) : String(e.old),
      new: f ? formatWithUnit(f, e.new, m) : String(e.new),
    });
  });
  return [reply(ev, [fill(m.history_title, { area, period }), ...lines].join("\n"))];
};
