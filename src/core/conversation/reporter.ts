// A leader's own report: /baocao, /xem and /sua name it by the unit (one of the person's, when they fill several)
// and the report kind (when several are open); what is not named is the report in progress, the only one, or
// a short choice. /baocao then starts or resumes the form, in the group or, through the link it offers, privately.
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import type { FormDef } from "../forms/schema.js";
import { fill } from "../messages.js";
import { formatShortDate } from "../local-time.js";
import { offeredFrom } from "../forms/form-periods.js";
import { collectedPeriod, fills, openFormsFor } from "../open-reports.js";
import { ok, refused, type Outcome } from "../outcome.js";
import { periodKey, periodLabel } from "../periods.js";
import { clipUnits } from "../text.js";
import type { SessionState, Unit } from "../types.js";
import { matchArea } from "./area-match.js";
import {
  type CommandHandler,
  type Ctx,
  type Picked,
  communeOf,
  fillerUnits,
  formById,
  groupUnit,
  personOf,
  refuse,
  reply,
  reportLabel,
  sessionKey,
} from "./context.js";
import { startEdit, type Target } from "./editing.js";
import { openingLine, startForm, view, type FormSession } from "./form-flow.js";
import { readKind } from "./kind-arg.js";
import { chooseKind } from "./kind-choice.js";
import { sessionAllowed, sessionReport } from "./leaving.js";

export type ReporterCommand = "baocao" | "xem" | "sua";

/** What a leader's command is about: the report (and where its results go), its form, and the words left. */
interface Found {
  target: Target;
  form: FormDef;
  rest: string;
}

/** What each command does once its report is known. */
const ACTIONS: Record<ReporterCommand, (ctx: Ctx, ev: InboundEvent, found: Found) => Effect[]> = {
  baocao: (ctx, ev, f) => startReport(ctx, ev, f.target, f.form),
  xem: (ctx, ev, f) => view(ctx, ev, f.target.report, f.form),
  sua: (ctx, ev, f) => startEdit(ctx, ev, f.target, f.rest),
};

/** /baocao, /xem and /sua of a leader (staff correcting an area's figure use /sua <khu>, commands/staff-sua.ts). */
export function reporterCommand(command: ReporterCommand): CommandHandler {
  return (ctx, ev, args, picked) => {
    const found = findReport(ctx, ev, command, args, picked ?? {});
    return found.ok ? ACTIONS[command](ctx, ev, found.value) : found.refusal;
  };
}

/**
 * Which report a leader's command is about. The unit: the one named (one of the person's own), else the open
 * session's, else the person's only one — or a choice among them. The kind: the one named (short name, or its
 * number when the person fills one unit), else the open session's, else the only one open — or a choice.
 */
function findReport(ctx: Ctx, ev: InboundEvent, command: ReporterCommand, args: string, picked: Picked): Outcome<Found> {
  const m = ctx.messages;
  let communeCode: string | undefined;
  if (ev.chat.type === "group") {
    const group = groupUnit(ctx, ev);
    if (!group.ok) return group;
    communeCode = group.value.code;
  }
  const units = fillerUnits(ctx, personOf(ev), communeCode);
  const session = ctx.world.session(sessionKey(ev));
  const open = session && sessionReport(session);
  const typed = picked.form ? { form: picked.form, rest: args.trim() } : readKind(ctx.forms, [], args, { last: true });
  let rest = typed.rest;
  // "/sua 2 40000" names a figure, and with one unit "/baocao 2" names the second report kind: neither names a unit.
  const kindNumber = !typed.form && units.length === 1 && command !== "sua" && /^\d{1,2}$/.test(rest);
  let unit = picked.unit ? units.find((u) => u.code === picked.unit!.code) : undefined;
  if (picked.unit && !unit) return refused(unknownUnit(ctx, ev, picked.unit.name, units));
  if (!unit && rest && !kindNumber && !(command === "sua" && /^\d/.test(rest))) {
    const hit = matchArea(units, rest);
    if (hit) ({ area: unit, rest } = hit);
    else if (units.length > 0 && command !== "sua") return refused(unknownUnit(ctx, ev, rest, units));
  }
  // Nothing named: the report in progress.
  const openForm = open && formById(ctx, open.report.form);
  if (!unit && !typed.form && !kindNumber && open && openForm) return ok({ target: { report: open.report, homeChatId: open.homeChatId }, form: openForm, rest });
  if (units.length === 0) return refused(refuse(ctx, ev, `/${command}`, ["reporter"]));
  if (!unit && units.length > 1) return refused(...pickUnit(ctx, ev, units, command, rest, typed.form));
  unit ??= units[0]!;
  const home = homeChat(ctx, ev, unit);
  if (!home) return refused(reply(ev, m.private_no_group));

  const offered = openFormsFor(ctx, unit);
  let form = typed.form;
  if (kindNumber) {
    form = offered[Number(rest) - 1]?.form;
    if (!form) return refused(reply(ev, fill(m.kind_unknown, { text: rest, kinds: offered.map((o, i) => `${i + 1}. ${o.form.name}`).join(", ") })));
    rest = "";
  }
  if (form) {
    if (!fills(form, unit.level)) return refused(reply(ev, fill(m.kind_not_for, { name: form.name, unit: unit.name })));
    const period = collectedPeriod(ctx, form, unit.code);
    // /xem and /sua still reach a report whose collection window has closed; /baocao waits for it to open.
    if (command === "baocao" && !offered.some((o) => o.form.id === form!.id)) {
      if (form.period.kind === "round") return refused(reply(ev, fill(m.round_not_open, { name: form.name })));
      const from = offeredFrom(form, period);
      return refused(reply(ev, fill(m.kind_not_open, { name: form.name, period: periodLabel(period), from: from ? formatShortDate(from) : "" })));
    }
    return ok({ target: { report: { unit: unit.code, form: form.id, period: periodKey(period) }, homeChatId: home }, form, rest });
  }
  if (offered.length === 0) return refused(reply(ev, fill(m.kind_none_open, { unit: unit.name })));
  if (offered.length > 1) {
    const options = offered.map((o) => ({ ...o, done: ctx.world.submission({ unit: unit!.code, form: o.form.id, period: periodKey(o.period) })?.status === "completed" }));
    return refused(...chooseKind(ctx, ev, options, { command, args: rest, unit: unit.code }));
  }
  const only = offered[0]!;
  return ok({ target: { report: { unit: unit.code, form: only.form.id, period: periodKey(only.period) }, homeChatId: home }, form: only.form, rest });
}

function unknownUnit(ctx: Ctx, ev: InboundEvent, text: string, units: Unit[]): Effect {
  return reply(ev, fill(ctx.messages.pick_area_unknown, { text: clipUnits(text.trim(), 40), areas: units.map((a) => a.name).join(", ") }));
}

/** Several units and none named: the person picks one (a button, its number or its name). */
function pickUnit(ctx: Ctx, ev: InboundEvent, units: Unit[], command: ReporterCommand, args: string, form: FormDef | undefined): Effect[] {
  const rows = units.map((a, i) => [{ label: `${i + 1}. ${a.name}`, data: `rp:${a.code}` }]);
  const text = fill(ctx.messages.pick_area_choose, { name: ev.from.name, n: units.length, command: `/${command}`, example: units[0]!.name });
  const state: SessionState = { mode: "pick_area", areas: units.map((a) => a.code), command, args, ...(form ? { form: form.id } : {}) };
  return [
    { type: "set_session", key: sessionKey(ev), state },
    reply(ev, text, { choices: rows, purpose: "question", question: { kind: "choice", topic: "area" } }),
  ];
}

/** The answer to pickUnit: the command goes on for the chosen unit, if it is still the person's. */
export function unitPicked(ctx: Ctx, ev: InboundEvent, state: Extract<SessionState, { mode: "pick_area" }>, answer: string): Effect[] {
  const own = fillerUnits(ctx, personOf(ev)).filter((a) => state.areas.includes(a.code));
  const code = answer.startsWith("rp:") ? answer.slice(3) : undefined;
  const unit = code ? own.find((a) => a.code === code) : matchArea(own, answer)?.area;
  if (!unit) return [unknownUnit(ctx, ev, answer.replace(/^rp:/, ""), own)];
  const form = state.form ? formById(ctx, state.form) : undefined;
  return [{ type: "clear_session", key: sessionKey(ev) }, ...reporterCommand(state.command)(ctx, ev, state.args, { unit, form })];
}

/** The group where a unit's results are posted: this group, or its commune's linked group when in private. */
function homeChat(ctx: Ctx, ev: InboundEvent, unit: Unit): string | undefined {
  if (ev.chat.type === "group") return ev.chat.id;
  const commune = communeOf(ctx, unit.code);
  return commune ? ctx.world.chatsOf(ev.platform, commune.code)[0] : undefined;
}

/** /baocao: start or resume the form of the report, for the period being collected now. */
function startReport(ctx: Ctx, ev: InboundEvent, target: Target, form: FormDef): Effect[] {
  // A stale session for another period (the period rolled over) gives way to the open one.
  const unit = target.report.unit;
  const period = periodKey(collectedPeriod(ctx, form, unit));
  const session: FormSession = { mode: "form", report: { unit, form: form.id, period }, homeChatId: target.homeChatId };
  const opening = openingLine(ctx, ev, session, form);
  if (ev.chat.type !== "group") {
    // Continuing privately: the question left open in the group is no longer theirs to answer there.
    const inGroup = { platform: ev.platform, chatId: target.homeChatId, userId: ev.from.id };
    return [{ type: "clear_session", key: inGroup }, ...startForm(ctx, ev, session, opening)];
  }
  const token = ctx.newToken();
  return [
    { type: "private_link", token, person: personOf(ev), groupChatId: ev.chat.id },
    ...startForm(ctx, ev, session, opening, { privateLink: { label: ctx.messages.private_offer, token } }),
  ];
}

/** /start p_<token> in a private chat: the person continues the group's form here (or chooses a report, as /baocao). */
export function continuePrivately(ctx: Ctx, ev: InboundEvent, token: string): Effect[] {
  const m = ctx.messages;
  const link = ctx.world.privateLink(token);
  if (ev.chat.type !== "private" || !link || link.usedAt || link.userId !== ev.from.id || link.platform !== ev.platform) {
    return [reply(ev, m.private_link_invalid)];
  }
  const groupKey = { platform: ev.platform, chatId: link.groupChatId, userId: ev.from.id };
  const stored = ctx.world.session(groupKey);
  // The group's form continues here only while the person may still fill it.
  const groupSession = stored && sessionAllowed(ctx, personOf(ev), stored) ? sessionReport(stored) : undefined;
  const used: Effect[] = [{ type: "use_private_link", token }, { type: "clear_session", key: groupKey }];
  const form = groupSession && formById(ctx, groupSession.report.form);
  const unit = groupSession && ctx.world.unit(groupSession.report.unit);
  if (groupSession && form && unit) {
    const session: FormSession = { mode: "form", report: groupSession.report, homeChatId: link.groupChatId };
    const opening = fill(m.private_started, { period: reportLabel(ctx, form, groupSession.report.period), area: unit.name });
    return [...used, ...startForm(ctx, ev, session, opening)];
  }
  // No form under way in the group: as /baocao there, for the units of that group's commune.
  const communeCode = ctx.world.chatUnit(ev.platform, link.groupChatId);
  const units = fillerUnits(ctx, personOf(ev), communeCode);
  if (units.length === 0) return [refuse(ctx, ev, "/baocao", ["reporter"])];
  return [...used, ...reporterCommand("baocao")(ctx, ev, "", { unit: units.length === 1 ? units[0] : undefined })];
}
