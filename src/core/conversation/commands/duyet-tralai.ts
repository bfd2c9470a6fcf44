// /duyet [loại] <khu> and /tralai [loại] <khu> <lý do>: staff accept a unit's submitted report, or return it
// with a reason (its people are named and fix it with /sua).
import { fill } from "../../messages.js";
import { periodKey } from "../../periods.js";
import { clipUnits } from "../../text.js";
import type { CommandHandler } from "../context.js";
import { fillersOf, personOf, reply, reportLabel } from "../context.js";
import { areaNumber } from "../progress-text.js";
import { areaScope } from "../staff-scope.js";

function review(status: "accepted" | "returned"): CommandHandler {
  return (ctx, ev, args, picked) => {
    const m = ctx.messages;
    const r = areaScope(ctx, ev, status === "accepted" ? "/duyet" : "/tralai", args, picked?.form);
    if (!r.ok) return r.refusal;
    const { form, area: a, s } = r.value;
    const period = reportLabel(ctx, form, r.value.period);
    const area = a.unit.name;
    if (a.state === "in_progress" || a.state === "not_started") return [reply(ev, fill(m.review_not_submitted, { area, period }))];
    const report = { unit: a.unit.code, form: form.id, period: periodKey(r.value.period) };
    const base = { type: "review" as const, report, by: personOf(ev) };
    if (status === "accepted") return [{ ...base, status }, reply(ev, fill(m.review_accepted, { area, period }))];
    if (!r.value.rest.trim()) return [reply(ev, fill(m.review_need_reason, { example: String(areaNumber(s, a)) }))];
    const people = fillersOf(ctx, a.unit).filter((p) => p.platform === ev.platform);
    const reason = clipUnits(r.value.rest.trim(), 500);
    return [
      { ...base, status, reason },
      { type: "submission", report, status: "reopened", by: personOf(ev) },
      reply(ev, fill(m.review_returned, { names: people.map((p) => p.name).join(", ") || area, period, area, reason }), {
        mentions: people.map((p) => ({ userId: p.userId, name: p.name })),
      }),
    ];
  };
}

export const duyet = review("accepted");
export const tralai = review("returned");
