// /xuat [loại] [kỳ]: a spreadsheet of the figures per unit and indicator, and the audit trail.
import { fill } from "../../messages.js";
import { periodKey } from "../../periods.js";
import type { CommandHandler } from "../context.js";
import { reply, reportLabel } from "../context.js";
import { staffScope } from "../staff-scope.js";

export const xuat: CommandHandler = (ctx, ev, args, picked) => {
  const sc = staffScope(ctx, ev, "/xuat", args, picked?.form);
  if (!sc.ok) return sc.refusal;
  const { unit, form, period } = sc.value;
  return [
    reply(ev, fill(ctx.messages.export_caption, { period: reportLabel(ctx, form, period), unit: unit.name }), {
      document: { kind: "export", report: { unit: unit.code, form: form.id, period: periodKey(period) } },
      purpose: "report",
    }),
  ];
};
