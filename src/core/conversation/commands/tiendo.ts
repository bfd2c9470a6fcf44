// /tiendo [loại] [kỳ]: the progress board. Without anything named it shows every report kind being collected
// (or, when none is, every kind that applies), a block each, in one message that is edited as units submit.
import { collectedPeriod, formsOverseenBy, openFormsOver } from "../../open-reports.js";
import { periodKey } from "../../periods.js";
import type { CommandHandler } from "../context.js";
import { reply } from "../context.js";
import { boardPurpose, progressText, type BoardPart } from "../progress-text.js";
import { oversightUnit, staffScope } from "../staff-scope.js";
import { summaryOf } from "../summary-text.js";

export const tiendo: CommandHandler = (ctx, ev, args, picked) => {
  let parts: BoardPart[];
  if (!args.trim() && !picked?.form) {
    const unit = oversightUnit(ctx, ev, "/tiendo");
    if (!unit.ok) return unit.refusal;
    const listed = formsOverseenBy(ctx.forms, unit.value);
    const open = openFormsOver(ctx, unit.value).map((o) => o.form);
    parts = (open.length > 0 ? open : listed).map((form) => ({
      s: summaryOf(ctx, form, unit.value, collectedPeriod(ctx, form, unit.value.code)),
      number: listed.indexOf(form) + 1,
    }));
  } else {
    const sc = staffScope(ctx, ev, "/tiendo", args, picked?.form);
    if (!sc.ok) return sc.refusal;
    const { unit, form, period } = sc.value;
    parts = [{ s: summaryOf(ctx, form, unit, period), number: formsOverseenBy(ctx.forms, unit).indexOf(form) + 1 }];
  }
  const unit = parts[0]!.s.root.code;
  const purpose = boardPurpose(unit, parts.map((p) => ({ form: p.s.form.id, period: periodKey(p.s.period) })));
  return [reply(ev, progressText(ctx, parts), { purpose })];
};
