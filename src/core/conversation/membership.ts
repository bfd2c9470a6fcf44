// Who is who: linking a group to a commune (and moving it, by someone with authority over both units),
// registering area leaders (a second leader of an area waits for staff), invite codes, listing and revoking
// registrations, and the staff's choice of the open period.
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { foldText } from "../numbers/normalize.js";
import { periodKey, periodLabel } from "../periods.js";
import { clockPeriod, dueDate } from "../forms/form-periods.js";
import { formatShortDate } from "../local-time.js";
import type { SessionState, Unit } from "../types.js";
import { type Ctx, communeOf, currentPeriod, defaultForm, isStaffOf, personOf, refuse, reply, sessionKey } from "./context.js";
import { askFullName } from "./full-name.js";
import { sessionUnits, stopSessionsUnder } from "./leaving.js";
import { requestRegistration } from "./requests.js";
import { clipUnits } from "../text.js";
import { typedPeriod } from "./period-arg.js";

/** The commune of the group the event came from, or the polite "not linked" reply. */
export function groupCommune(ctx: Ctx, ev: InboundEvent): Unit | Effect {
  const code = ctx.world.chatUnit(ev.platform, ev.chat.id);
  const unit = code ? ctx.world.unit(code) : undefined;
  return unit ?? reply(ev, ctx.messages.not_linked);
}

export function isEffect(x: Unit | Effect): x is Effect {
  return "type" in x;
}

/** /lienket <mã xã> */
export function link(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const m = ctx.messages;
  if (ev.chat.type !== "group") return [reply(ev, fill(m.group_only, { command: "/lienket" }))];
  const person = personOf(ev);
  const staffUnits = ctx.world.roles(person).filter((r) => r.role !== "reporter");
  if (staffUnits.length === 0) return [refuse(ctx, ev, "/lienket", ["commune_staff", "officer"])];
  const code = args.trim().split(/\s+/)[0] ?? "";
  if (!code) {
    const example = staffUnits.map((r) => ctx.world.unit(r.unitCode)).find((u) => u?.level === "commune")?.code ?? "25747";
    return [reply(ev, fill(m.link_usage, { example }))];
  }
  const unit = ctx.world.unit(code);
  if (!unit) return [reply(ev, fill(m.link_unknown_unit, { code: clipUnits(code, 40) }))];
  if (unit.level !== "commune" && unit.level !== "district" && unit.level !== "province") {
    return [reply(ev, fill(m.link_not_commune, { code, level: unit.name }))];
  }
  if (!isStaffOf(ctx, person, unit.code)) {
    const own = staffUnits.map((r) => ctx.world.unit(r.unitCode)?.name).filter(Boolean).join(", ");
    return [reply(ev, fill(m.link_other_commune, { commune: own }))];
  }
  const currentCode = ctx.world.chatUnit(ev.platform, ev.chat.id);
  const current = currentCode ? ctx.world.unit(currentCode) : undefined;
  const linked: Effect = { type: "link_chat", platform: ev.platform, chatId: ev.chat.id, unit: unit.code, title: ev.chat.title, by: person };
  if (!current) return [linked, reply(ev, fill(m.link_done, { commune: unit.name }))];
  if (current.code === unit.code) return [reply(ev, fill(m.link_already, { unit: unit.name }))];
  // A linked group belongs to its unit: only someone with authority over that unit may move it elsewhere.
  if (!isStaffOf(ctx, person, current.code)) return [reply(ev, fill(m.link_taken, { unit: current.name }))];
  return [linked, ...relinked(ctx, ev, current, unit)];
}

/** A group moved from one unit to another: what was under way there for the old unit stops, and everyone is told. */
function relinked(ctx: Ctx, ev: InboundEvent, from: Unit, to: Unit): Effect[] {
  const m = ctx.messages;
  const under = (code: string) => ctx.world.lineage(code).some((u) => u.code === to.code);
  const effects: Effect[] = [];
  for (const { key, state } of ctx.world.sessionsIn(ev.platform, ev.chat.id)) {
    if (sessionUnits(state).every(under)) continue;
    effects.push({ type: "clear_session", key }, { type: "drop_questions", platform: key.platform, userId: key.userId, chatIds: [key.chatId] });
  }
  const lines = [fill(m.link_moved, { name: ev.from.name, old: from.name, new: to.name })];
  if (effects.length > 0) lines.push(fill(m.link_sessions_stopped, { old: from.name }));
  return [...effects, reply(ev, lines.join("\n"), { owner: undefined, purpose: "info" })];
}

/** /dangky <mã mời>: redeem a one-time invite code. */
function redeem(ctx: Ctx, ev: InboundEvent, code: string): Effect[] {
  const m = ctx.messages;
  const invite = ctx.world.invite(code);
  const shown = clipUnits(code, 40);
  if (!invite || invite.usedAt) return [reply(ev, fill(m.invite_invalid, { code: shown }))];
  if (invite.expiresAt < ctx.now.toISOString()) return [reply(ev, fill(m.invite_expired, { code: shown }))];
  const person = personOf(ev);
  const unit = ctx.world.unit(invite.unitCode);
  const done = fill(m.invite_done, { role: m[`role_${invite.role}`], unit: unit?.name ?? invite.unitCode, name: ev.from.name });
  return [
    { type: "use_invite", code, by: person },
    { type: "grant_role", person, role: invite.role, unit: invite.unitCode, by: `invite:${code}` },
    ...(askFullName(ctx, ev, done) ?? [reply(ev, done)]),
  ];
}

/** /dangky: with a code, redeem it; without, choose one's area from the group's commune. */
export function register(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const m = ctx.messages;
  const code = args.trim();
  if (code) return redeem(ctx, ev, code);
  if (ev.chat.type !== "group") return [reply(ev, m.register_not_in_group)];
  const commune = groupCommune(ctx, ev);
  if (isEffect(commune)) return [commune];
  if (commune.level !== "commune") return [reply(ev, fill(m.register_not_commune_group, { unit: commune.name }))];
  const areas = ctx.world.children(commune.code).filter((u) => u.level === "area");
  const state: SessionState = { mode: "register", areas: areas.map((a) => a.code) };
  const rows = areas.map((a, i) => [{ label: `${i + 1}. ${a.name}`, data: `reg:${a.code}` }]);
  return [
    { type: "set_session", key: sessionKey(ev), state },
    reply(ev, fill(m.register_choose, { name: ev.from.name }), { choices: rows, purpose: "question", question: { kind: "choice", topic: "register" } }),
  ];
}

/** The area chosen by number, by name (with or without diacritics) or by button. */
export function chooseArea(ctx: Ctx, ev: InboundEvent, areas: string[], answer: string): Effect[] {
  const m = ctx.messages;
  const folded = foldText(answer);
  const units = areas.map((c) => ctx.world.unit(c)).filter((u): u is Unit => !!u);
  const n = Number.parseInt(folded, 10);
  const picked =
    (/^\d+$/.test(folded) ? units[n - 1] : undefined) ??
    units.find((u) => u.code === answer.trim()) ??
    units.find((u) => foldText(u.name) === folded || foldText(u.name).endsWith(` ${folded}`));
  if (!picked) {
    const commune = communeOf(ctx, areas[0] ?? "")?.name ?? "";
    return [reply(ev, fill(m.register_unknown_area, { text: clipUnits(answer.trim(), 40), commune }))];
  }
  const person = personOf(ev);
  const form = defaultForm(ctx);
  const period = periodLabel(currentPeriod(ctx, form, picked.code));
  const effects: Effect[] = [{ type: "clear_session", key: sessionKey(ev) }];
  const already = ctx.world.roles(person).some((r) => r.role === "reporter" && r.unitCode === picked.code);
  if (already) return [...effects, reply(ev, fill(m.register_already, { name: ev.from.name, area: picked.name }))];
  // One leader per area: a second one waits for the staff's approval.
  if (ctx.world.holders(picked.code, "reporter").length > 0) return [...effects, ...requestRegistration(ctx, ev, picked)];
  const done = fill(m.register_done, { name: ev.from.name, area: picked.name, period });
  return [
    ...effects,
    { type: "grant_role", person, role: "reporter", unit: picked.code, by: `self:${ev.chat.id}` },
    ...(askFullName(ctx, ev, done) ?? [reply(ev, done)]),
  ];
}

function staffCommune(ctx: Ctx, ev: InboundEvent, command: string): Unit | Effect {
  if (ev.chat.type !== "group") return reply(ev, fill(ctx.messages.group_only, { command }));
  const commune = groupCommune(ctx, ev);
  if (isEffect(commune)) return commune;
  if (!isStaffOf(ctx, personOf(ev), commune.code)) return refuse(ctx, ev, command, ["commune_staff", "officer"]);
  return commune;
}

/** /danhsach */
export function listRegistrations(ctx: Ctx, ev: InboundEvent): Effect[] {
  const m = ctx.messages;
  const commune = staffCommune(ctx, ev, "/danhsach");
  if (isEffect(commune)) return [commune];
  const regs = ctx.world.registrations(commune.code);
  if (regs.length === 0) return [reply(ev, fill(m.registrations_empty, { commune: commune.name }))];
  const lines = regs.map((r, i) => fill(m.registrations_line, { n: i + 1, name: r.person.name, area: r.unit.name }));
  return [reply(ev, [fill(m.registrations_header, { commune: commune.name }), ...lines, m.registrations_footer].join("\n"))];
}

/** /thuhoi <số> */
export function revoke(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const m = ctx.messages;
  const commune = staffCommune(ctx, ev, "/thuhoi");
  if (isEffect(commune)) return [commune];
  const n = Number.parseInt(args.trim(), 10);
  if (!Number.isFinite(n)) return [reply(ev, m.revoke_usage)];
  const reg = ctx.world.registrations(commune.code)[n - 1];
  if (!reg) return [reply(ev, fill(m.revoke_not_found, { n }))];
  // At once: the person's form for that area stops wherever it is open, and their queued questions are dropped.
  const stop = stopSessionsUnder(ctx, reg.person, reg.unit.code, { platform: ev.platform, chatId: ev.chat.id });
  const done = fill(m.revoke_done, { name: reg.person.name, area: reg.unit.name });
  const text = stop.stoppedThere ? `${done}\n${fill(m.revoke_stopped, { name: reg.person.name })}` : done;
  const named = stop.stoppedThere ? { mentions: [{ userId: reg.person.userId, name: reg.person.name }] } : {};
  return [
    { type: "revoke_role", roleId: reg.roleId, by: `${ev.platform}:${ev.from.id}` },
    ...stop.effects,
    reply(ev, text, named),
  ];
}

/** /moky <kỳ>: staff open another period for their commune ("/moky tự động" returns to the clock's choice). */
export function openPeriodCommand(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const m = ctx.messages;
  const commune = staffCommune(ctx, ev, "/moky");
  if (isEffect(commune)) return [commune];
  const form = defaultForm(ctx);
  const person = personOf(ev);
  const text = args.trim();
  if (!text) return [reply(ev, fill(m.period_usage, { period: periodLabel(currentPeriod(ctx, form, commune.code)) }))];
  if (["tu dong", "auto", "mac dinh"].includes(foldText(text))) {
    const auto = clockPeriod(form, ctx.now);
    return [
      { type: "open_period", unit: commune.code, form: form.id, period: null, by: person },
      reply(ev, fill(m.period_auto, { period: periodLabel(auto) })),
    ];
  }
  const period = typedPeriod(ctx, ev, form, commune.code, text, "open", "/moky");
  if ("type" in period) return [period];
  return [
    { type: "open_period", unit: commune.code, form: form.id, period: periodKey(period), by: person },
    reply(ev, fill(m.period_opened, { period: periodLabel(period), commune: commune.name, deadline: formatShortDate(dueDate(form, period)) })),
  ];
}
