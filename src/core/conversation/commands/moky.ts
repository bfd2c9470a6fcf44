// /moky [loại] <kỳ>: a commune's staff open another period of a report kind (catching up on a recent one);
// "/moky [loại] tự động" goes back to the period the clock says. For a round form, /moky opens, lists and
// closes rounds (moky-round.ts).
import { clockPeriod, dueDate } from "../../forms/form-periods.js";
import { formatShortDate } from "../../local-time.js";
import { fill } from "../../messages.js";
import { foldText } from "../../numbers/normalize.js";
import { collectedPeriod, formsOverseenBy } from "../../open-reports.js";
import { nextPeriod, periodKey, periodLabel } from "../../periods.js";
import type { CommandHandler } from "../context.js";
import { personOf, reply, reportLabel } from "../context.js";
import { staffCommune } from "../membership.js";
import { typedPeriod } from "../period-arg.js";
import { oversightUnit, staffKind } from "../staff-scope.js";
import { mokyRound } from "./moky-round.js";

const AUTO_WORDS = ["tu dong", "auto", "mac dinh"];

export const moky: CommandHandler = (ctx, ev, args, picked) => {
  const m = ctx.messages;
  // Rounds may be opened by staff of a commune or of a unit above it; other periods by a commune's staff.
  const over = oversightUnit(ctx, ev, "/moky");
  if (over.ok && over.value.level !== "commune") {
    const kind = staffKind(ctx, ev, over.value, "/moky", args, picked?.form, { numbers: true });
    if (!kind.ok) return kind.refusal;
    if (kind.value.form.period.kind === "round") return mokyRound(ctx, ev, over.value, kind.value.form, kind.value.rest);
  }
  const staff = staffCommune(ctx, ev, "/moky");
  if (!staff.ok) return staff.refusal;
  const commune = staff.value;
  const kind = staffKind(ctx, ev, commune, "/moky", args, picked?.form, { numbers: true });
  if (!kind.ok) return kind.refusal;
  const { form, rest } = kind.value;
  if (form.period.kind === "round") return mokyRound(ctx, ev, commune, form, rest);
  const person = personOf(ev);
  const current = collectedPeriod(ctx, form, commune.code);
  if (!rest) {
    if (formsOverseenBy(ctx.forms, commune).length === 1) return [reply(ev, fill(m.period_usage, { period: periodLabel(current) }))];
    return [reply(ev, fill(m.period_usage_kind, { short: form.short, name: form.name, example: periodLabel(nextPeriod(current)), period: periodLabel(current) }))];
  }
  if (AUTO_WORDS.includes(foldText(rest))) {
    return [
      { type: "open_period", unit: commune.code, form: form.id, period: null, by: person },
      reply(ev, fill(m.period_auto, { period: reportLabel(ctx, form, clockPeriod(form, ctx.now)) })),
    ];
  }
  const period = typedPeriod(ctx, ev, form, commune.code, rest, "open", "/moky");
  if (!period.ok) return period.refusal;
  return [
    { type: "open_period", unit: commune.code, form: form.id, period: periodKey(period.value), by: person },
    reply(ev, fill(m.period_opened, { period: reportLabel(ctx, form, period.value), commune: commune.name, deadline: formatShortDate(dueDate(form, period.value)) })),
  ];
};
