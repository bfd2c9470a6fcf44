// Who is who: linking a group to a commune (and moving it, by someone with authority over both units),
// registering area leaders (a second leader of an area waits for staff), invite codes, listing and revoking
// registrations.
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { foldText } from "../numbers/normalize.js";
import { openFormsFor } from "../open-reports.js";
import { refused, type Outcome } from "../outcome.js";
import type { SessionState, Unit } from "../types.js";
import { type Ctx, communeOf, groupUnit, isStaffOf, personOf, refuse, reply, reportLabel, sessionKey } from "./context.js";
import { askFullName } from "./full-name.js";
import { sessionUnits, stopSessionsUnder } from "./leaving.js";
import { requestRegistration } from "./requests.js";
import { clipUnits } from "../text.js";

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
  const group = groupUnit(ctx, ev);
  if (!group.ok) return group.refusal;
  const commune = group.value;
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
  const effects: Effect[] = [{ type: "clear_session", key: sessionKey(ev) }];
  const already = ctx.world.roles(person).some((r) => r.role === "reporter" && r.unitCode === picked.code);
  if (already) return [...effects, reply(ev, fill(m.register_already, { name: ev.from.name, area: picked.name }))];
  // One leader per area: a second one waits for the staff's approval.
  if (ctx.world.holders(picked.code, "reporter").length > 0) return [...effects, ...requestRegistration(ctx, ev, picked)];
  const done = registered(ctx, ev, picked);
  return [
    ...effects,
    { type: "grant_role", person, role: "reporter", unit: picked.code, by: `self:${ev.chat.id}` },
    ...(askFullName(ctx, ev, done) ?? [reply(ev, done)]),
  ];
}

/** "Đã ghi nhận …", with what the new leader can fill now: the one report, the several, or none yet. */
function registered(ctx: Ctx, ev: InboundEvent, area: Unit): string {
  const m = ctx.messages;
  const open = openFormsFor(ctx, area);
  const vars = { name: ev.from.name, area: area.name };
  if (open.length === 0) return fill(m.register_done_none, vars);
  if (open.length === 1) return fill(m.register_done, { ...vars, period: reportLabel(ctx, open[0]!.form, open[0]!.period) });
  return fill(m.register_done_several, { ...vars, n: open.length, items: open.map((o) => reportLabel(ctx, o.form, o.period)).join(", ") });
}

/** The commune of a group, for commands its staff (or officers above) use there only. */
export function staffCommune(ctx: Ctx, ev: InboundEvent, command: string): Outcome<Unit> {
  if (ev.chat.type !== "group") return refused(reply(ev, fill(ctx.messages.group_only, { command })));
  const commune = groupUnit(ctx, ev);
  if (!commune.ok) return commune;
  if (!isStaffOf(ctx, personOf(ev), commune.value.code)) return refused(refuse(ctx, ev, command, ["commune_staff", "officer"]));
  return commune;
}

/** /danhsach */
export function listRegistrations(ctx: Ctx, ev: InboundEvent): Effect[] {
  const m = ctx.messages;
  const staff = staffCommune(ctx, ev, "/danhsach");
  if (!staff.ok) return staff.refusal;
  const commune = staff.value;
  const regs = ctx.world.registrations(commune.code);
  if (regs.length === 0) return [reply(ev, fill(m.registrations_empty, { commune: commune.name }))];
  const lines = regs.map((r, i) => fill(m.registrations_line, { n: i + 1, name: r.person.name, area: r.unit.name }));
  return [reply(ev, [fill(m.registrations_header, { commune: commune.name }), ...lines, m.registrations_footer].join("\n"))];
}

/** /thuhoi <số> */
export function revoke(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const m = ctx.messages;
  const staff = staffCommune(ctx, ev, "/thuhoi");
  if (!staff.ok) return staff.refusal;
  const commune = staff.value;
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
