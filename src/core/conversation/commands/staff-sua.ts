// /sua [loại] <khu> …: staff correct a unit's figure (after a phone call), under the form's own rules, recorded
// in the audit trail under their own name.
import { periodKey } from "../../periods.js";
import type { CommandHandler } from "../context.js";
import { startEdit } from "../editing.js";
import { areaScope } from "../staff-scope.js";

export const staffSua: CommandHandler = (ctx, ev, args, picked) => {
  const r = areaScope(ctx, ev, "/sua", args, picked?.form);
  if (!r.ok) return r.refusal;
  const { form, area, period, rest } = r.value;
  return startEdit(ctx, ev, { report: { unit: area.unit.code, form: form.id, period: periodKey(period) }, homeChatId: ev.chat.id }, rest, "staff");
};
