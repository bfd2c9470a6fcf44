// /mien <khu> [loại] [kỳ] <lý do> and /bomien <khu> [loại] [kỳ]: staff excuse a unit under them (an area, or a
// commune for a form communes fill) from one report — the period being collected, or one they name — with a
// reason, or lift it. The unit's people are told in their group. /mien alone lists who is excused.
import type { Effect } from "../../effects.js";
import type { InboundEvent } from "../../events.js";
import { dueDate } from "../../forms/form-periods.js";
import type { FormDef } from "../../forms/schema.js";
import { formatChatDate, formatShortDate, localDate } from "../../local-time.js";
import { fill } from "../../messages.js";
import { collectedPeriod, formsOverseenBy, openFormsOver } from "../../open-reports.js";
import { ok, refused, type Outcome } from "../../outcome.js";
import { periodKey, type Period } from "../../periods.js";
import type { ReportKey } from "../../report-key.js";
import { clipUnits } from "../../text.js";
import { PLATFORMS, type Unit } from "../../types.js";
import { matchArea } from "../area-match.js";
import type { CommandHandler, Ctx } from "../context.js";
import { communeOf, fillersOf, personOf, reply, reportLabel, unitWords } from "../context.js";
import { readKind } from "../kind-arg.js";
import { chooseKind } from "../kind-choice.js";
import { names } from "../name-list.js";
import { leadingPeriod } from "../period-arg.js";
import { oversightUnit, staffKind } from "../staff-scope.js";
import { summaryOf } from "../summary-text.js";

/** A reason is a sentence, not an essay: long enough for "sáp nhập vào …", short enough for a draft line. */
const MAX_REASON = 300;

interface Target {
  unit: Unit;
  form: FormDef;
  area: Unit;
  /** The unit's number in /tiendo (for examples). */
  number: number;
  period: Period;
  rest: string;
}

/** The unit, report kind, excused unit and period of "/mien [loại] <khu> [loại] [kỳ] …". */
function target(ctx: Ctx, ev: InboundEvent, command: string, args: string, picked: FormDef | undefined): Outcome<Target> {
  const m = ctx.messages;
  const unit = oversightUnit(ctx, ev, command);
  if (!unit.ok) return unit;
  const listed = formsOverseenBy(ctx.forms, unit.value);
  const first = picked && listed.includes(picked) ? { form: picked, rest: args.trim() } : readKind(ctx.forms, listed, args);
  if (first.form && !listed.includes(first.form)) return refused(reply(ev, fill(m.kind_not_for, { name: first.form.name, unit: unit.value.name })));
  // Each kind that may be meant, with the unit named among its reporting units and a kind named after the unit.
  const candidates = (first.form ? [first.form] : listed).flatMap((form) => {
    const s = summaryOf(ctx, form, unit.value, collectedPeriod(ctx, form, unit.value.code));
    const match = matchArea(s.areas.map((a) => a.unit), first.rest);
    if (!match) return [];
    const after = first.form ? { rest: match.rest } : readKind(ctx.forms, listed, match.rest);
    if (after.form && after.form !== form) return [];
    const number = s.areas.findIndex((a) => a.unit.code === match.area.code) + 1;
    return [{ form, area: match.area, number, rest: after.rest, named: !!first.form || !!after.form }];
  });
  if (candidates.length === 0) {
    return refused(reply(ev, first.rest ? fill(m.area_ref_unknown, { text: clipUnits(first.rest, 40) }) : fill(m.area_ref_usage, { command, example: "1" })));
  }
  const named = candidates.filter((c) => c.named);
  const open = new Set(openFormsOver(ctx, unit.value).map((o) => o.form.id));
  const openOnes = candidates.filter((c) => open.has(c.form.id));
  const chosen = candidates.length === 1 ? candidates[0] : named.length === 1 ? named[0] : openOnes.length === 1 ? openOnes[0] : undefined;
  if (!chosen) {
    const options = candidates.map((c) => ({ form: c.form, period: collectedPeriod(ctx, c.form, unit.value.code) }));
    return refused(...chooseKind(ctx, ev, options, { command: command.replace(/^\//, ""), args }));
  }
  const period = leadingPeriod(ctx, ev, chosen.form, unit.value, chosen.rest, command, "exempt_period_kind");
  if (!period.ok) return period;
  return ok({
    unit: unit.value,
    form: chosen.form,
    area: chosen.area,
    number: chosen.number,
    period: period.value.period ?? collectedPeriod(ctx, chosen.form, unit.value.code),
    rest: period.value.rest,
  });
}

/**
 * A notice to the excused unit's people in its commune's groups, naming (and so notifying) them. When the command
 * was given in one of those groups, the answer to the caller travels in the same message.
 */
function tellFillers(ctx: Ctx, ev: InboundEvent, area: Unit, notice: (names: string) => string, answer: string): Effect[] {
  const effects: Effect[] = [];
  const commune = communeOf(ctx, area.code) ?? area;
  let answered = false;
  for (const platform of PLATFORMS) {
    const people = fillersOf(ctx, area).filter((p) => p.platform === platform);
    if (people.length === 0) continue;
    for (const chatId of ctx.world.chatsOf(platform, commune.code)) {
      const here = platform === ev.platform && chatId === ev.chat.id;
      const text = notice(people.map((p) => p.name).join(", "));
      const mentions = people.map((p) => ({ userId: p.userId, name: p.name }));
      if (here) {
        answered = true;
        effects.push(reply(ev, `${answer}\n${text}`, { mentions }));
      } else effects.push({ type: "reply", out: { platform, chatId, text, mentions, purpose: "info" } });
    }
  }
  if (!answered) effects.unshift(reply(ev, answer));
  return effects;
}

/** /mien alone: who is excused from the report being collected, with why, by whom and when; and how to excuse. */
function listExempt(ctx: Ctx, ev: InboundEvent, args: string, picked: FormDef | undefined): Effect[] {
  const m = ctx.messages;
  const unit = oversightUnit(ctx, ev, "/mien");
  if (!unit.ok) return unit.refusal;
  const kind = staffKind(ctx, ev, unit.value, "/mien", args, picked, { numbers: true });
  if (!kind.ok) return kind.refusal;
  const form = kind.value.form;
  const period = collectedPeriod(ctx, form, unit.value.code);
  const words = unitWords(ctx, form);
  const list = ctx.world.exemptions(unit.value.code, form.id, periodKey(period));
  const label = reportLabel(ctx, form, period);
  const items = list.map((e) =>
    fill(m.exempt_list_item, { area: ctx.world.unit(e.unit)?.name ?? e.unit, reason: e.reason, by: e.by, date: formatChatDate(localDate(new Date(e.at))) }),
  );
  const head = items.length ? fill(m.exempt_list, { ...words, period: label, items: names(ctx, items) }) : fill(m.exempt_list_none, { ...words, period: label });
  return [reply(ev, [head, fill(m.exempt_usage, { ...words, example: "1" })].join("\n"))];
}

export const mien: CommandHandler = (ctx, ev, args, picked) => {
  const m = ctx.messages;
  if (!args.trim()) return listExempt(ctx, ev, args, picked?.form);
  const t = target(ctx, ev, "/mien", args, picked?.form);
  if (!t.ok) return t.refusal;
  const { form, area, period, number } = t.value;
  const words = unitWords(ctx, form);
  const report: ReportKey = { unit: area.code, form: form.id, period: periodKey(period) };
  const label = reportLabel(ctx, form, period);
  const reason = clipUnits(t.value.rest.replace(/\s+/g, " ").trim().replace(/[.;,\s]+$/, ""), MAX_REASON);
  if (!reason) return [reply(ev, fill(m.exempt_need_reason, { example: String(number) }))];
  if (ctx.world.submission(report)?.status === "completed") return [reply(ev, fill(m.exempt_already_submitted, { ...words, area: area.name, period: label }))];
  const old = ctx.world.exemption(report);
  if (old?.reason === reason) return [reply(ev, fill(m.exempt_done, { ...words, area: area.name, period: label, reason, example: String(number) }))];
  const grant: Effect = { type: "exempt", report, reason, by: personOf(ev) };
  if (old) return [grant, reply(ev, fill(m.exempt_changed, { area: area.name, period: label, reason, old: old.reason }))];
  const answer = fill(m.exempt_done, { ...words, area: area.name, period: label, reason, example: String(number) });
  return [grant, ...tellFillers(ctx, ev, area, (n) => fill(m.exempt_notice, { names: n, area: area.name, period: label, reason }), answer)];
};

export const bomien: CommandHandler = (ctx, ev, args, picked) => {
  const m = ctx.messages;
  const t = target(ctx, ev, "/bomien", args, picked?.form);
  if (!t.ok) return t.refusal;
  const { form, area, period } = t.value;
  const words = unitWords(ctx, form);
  const report: ReportKey = { unit: area.code, form: form.id, period: periodKey(period) };
  const label = reportLabel(ctx, form, period);
  if (!ctx.world.exemption(report)) return [reply(ev, fill(m.exempt_not_exempt, { area: area.name, period: label }))];
  const answer = fill(m.exempt_lifted, { ...words, area: area.name, period: label });
  const lifted: Effect = { type: "lift_exemption", report, by: personOf(ev) };
  // Submitted meanwhile, the unit needs no reminder to submit.
  if (ctx.world.submission(report)?.status === "completed") return [lifted, reply(ev, answer)];
  const deadline = formatShortDate(dueDate(form, period));
  return [lifted, ...tellFillers(ctx, ev, area, (n) => fill(m.exempt_lift_notice, { names: n, area: area.name, period: label, deadline }), answer)];
};
