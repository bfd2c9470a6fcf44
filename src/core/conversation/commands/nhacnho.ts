// /nhacnho [loại] [kỳ]: one polite message per group naming (and notifying) the lagging units' people, nobody
// twice within the form's cooldown; the caller is told who was reminded and who could not be.
import type { Effect } from "../../effects.js";
import { fill } from "../../messages.js";
import type { CommandHandler } from "../context.js";
import { reply, reportLabel, unitWords } from "../context.js";
import { pingLagging } from "../lagging.js";
import { names } from "../name-list.js";
import { staffScope } from "../staff-scope.js";
import { summaryOf } from "../summary-text.js";

export const nhacnho: CommandHandler = (ctx, ev, args, picked) => {
  const m = ctx.messages;
  const sc = staffScope(ctx, ev, "/nhacnho", args, picked?.form);
  if (!sc.ok) return sc.refusal;
  const { unit, form, period } = sc.value;
  const cooldownHours = form.reminders.cooldown_hours;
  const s = summaryOf(ctx, form, unit, period);
  if (s.counts.submitted === s.counts.expected) return [reply(ev, fill(m.remind_none_late, { period: reportLabel(ctx, form, period), ...unitWords(ctx, form) }))];
  const result = pingLagging(ctx, s, cooldownHours, [ev.platform]);
  const report = [
    result.pinged.length ? fill(m.remind_result, { n: result.pinged.length, items: names(ctx, result.pinged), ...unitWords(ctx, form) }) : "",
    result.skipped.length ? fill(m.remind_cooldown, { hours: cooldownHours, items: names(ctx, result.skipped) }) : "",
    result.cannot.length ? fill(m.remind_cannot, { items: names(ctx, result.cannot) }) : "",
  ].filter(Boolean);
  // In the commune's own group the ping and the report to the caller travel as one message.
  const here = `${ev.platform}:${ev.chat.id}`;
  const effects: Effect[] = result.effects.map((e) =>
    e.type === "reply" && `${e.out.platform}:${e.out.chatId}` === here
      ? { ...e, out: { ...e.out, text: [e.out.text, ...report].join("\n"), replyTo: ev.messageId } }
      : e,
  );
  if (!result.byChat.has(here)) effects.push(reply(ev, report.join("\n")));
  return effects;
};
