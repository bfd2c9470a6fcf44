// Revocation and leaving take effect at once: the person's open forms stop with a polite word, questions to
// them still waiting in the outbox are not sent, and the staff are told who left. Every answer is also checked
// against the person's roles as they are now, so a session opened before a revocation can never go on.
import type { InboundEvent, Outgoing } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import type { OnReport, Person, PersonRef, Platform, RoleGrant, SessionKey, SessionState, Submission } from "../types.js";
import type { World } from "../world.js";
import { type Ctx, fillsFor, isStaffOf, personOf, reply, sessionKey } from "./context.js";

/** The report a session works on, for the sessions that read or write one (a form, a correction). */
export function sessionReport(state: SessionState): (OnReport & { audit?: "staff" }) | undefined {
  if (state.mode !== "form" && state.mode !== "edit_choose" && state.mode !== "edit_value") return undefined;
  const audit = state.mode === "form" ? undefined : state.audit;
  return { report: state.report, homeChatId: state.homeChatId, ...(audit ? { audit } : {}) };
}

/** The units a session is about: its report's unit, or the areas a menu offers. */
export function sessionUnits(state: SessionState): string[] {
  if (state.mode === "register" || state.mode === "pick_area") return state.areas;
  const on = sessionReport(state);
  return on ? [on.report.unit] : [];
}

/** Whether the person may still go on with this session: a reporter of its area, or staff over it for a staff correction. */
export function sessionAllowed(ctx: Ctx, person: Person, state: SessionState): boolean {
  const on = sessionReport(state);
  if (!on) return true;
  if (on.audit === "staff") return isStaffOf(ctx, person, on.report.unit);
  return fillsFor(ctx, person, on.report.unit);
}

/** Whether the leader of record of a submission still fills its unit's reports (then a new completion keeps them as author). */
export function authorStillLeads(ctx: Ctx, unit: string, sub: Submission | undefined): boolean {
  const author = sub?.completedBy;
  return !!author && fillsFor(ctx, author, unit);
}

const sameKey = (a: SessionKey, b: SessionKey) => a.platform === b.platform && a.chatId === b.chatId && a.userId === b.userId;

/** The same stored facts with one session already gone (what the world will be once `clear_session` is applied). */
function withoutSession(world: World, key: SessionKey): World {
  return new Proxy(world, {
    get(target, prop) {
      if (prop === "session") return (k: SessionKey) => (sameKey(k, key) ? undefined : target.session(k));
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * When the person's session in this chat belongs to a role they no longer hold: the effects that end it with a
 * polite word (and answer a pressed button), and the context to go on with as if it were gone.
 */
export function endStaleSession(ctx: Ctx, ev: InboundEvent): { ctx: Ctx; effects: Effect[] } {
  const key = sessionKey(ev);
  const state = ctx.world.session(key);
  const on = state && sessionReport(state);
  if (!state || !on || sessionAllowed(ctx, personOf(ev), state)) return { ctx, effects: [] };
  const name = ctx.world.unit(on.report.unit)?.name ?? on.report.unit;
  const effects: Effect[] = [
    { type: "clear_session", key },
    { type: "drop_questions", platform: ev.platform, userId: ev.from.id, chatIds: [ev.chat.id] },
    reply(ev, fill(ctx.messages.stopped_no_role, { area: name })),
  ];
  if (ev.body.kind === "choice" && ev.body.callbackId) {
    effects.push({ type: "reply", out: { platform: ev.platform, chatId: ev.chat.id, text: "", callback: { id: ev.body.callbackId } } });
  }
  return { ctx: { ...ctx, world: withoutSession(ctx.world, key) }, effects };
}

/**
 * Ends the person's sessions on areas under `unitCode` (in every chat), drops the questions still queued for them
 * in those chats, and tells them in each chat but `quietIn` (where the caller says it in its own words).
 * Returns the effects and whether a session was stopped in `quietIn`.
 */
export function stopSessionsUnder(ctx: Ctx, person: PersonRef, unitCode: string, quietIn: { platform: Platform; chatId: string }): { effects: Effect[]; stoppedThere: boolean } {
  const effects: Effect[] = [];
  const chats: string[] = [];
  let stoppedThere = false;
  for (const { key, state } of ctx.world.sessionsOf(person)) {
    const hit = sessionUnits(state).find((u) => ctx.world.lineage(u).some((x) => x.code === unitCode));
    if (!hit) continue;
    effects.push({ type: "clear_session", key });
    chats.push(key.chatId);
    if (key.platform === quietIn.platform && key.chatId === quietIn.chatId) {
      stoppedThere = true;
      continue;
    }
    // Only a form or correction in progress is worth a word; an unanswered menu simply goes away.
    const on = sessionReport(state);
    if (!on) continue;
    const group = key.chatId !== key.userId;
    const out: Outgoing = {
      platform: key.platform,
      chatId: key.chatId,
      text: fill(ctx.messages.stopped_no_role, { area: ctx.world.unit(on.report.unit)?.name ?? on.report.unit }),
      owner: key.userId,
      ...(group ? { mention: { userId: key.userId, name: ctx.world.person(person)?.name ?? key.userId } } : {}),
    };
    effects.push({ type: "reply", out });
  }
  if (chats.length > 0) effects.unshift({ type: "drop_questions", platform: person.platform, userId: person.userId, chatIds: chats });
  return { effects, stoppedThere };
}

/** The roles a person loses on leaving a group linked to `unitCode`: reporter of an area below, staff of the unit itself. */
function rolesTiedTo(ctx: Ctx, person: PersonRef, unitCode: string): RoleGrant[] {
  return ctx.world.roles(person).filter((g) =>
    g.role === "reporter" ? g.unitCode !== unitCode && ctx.world.lineage(g.unitCode).some((u) => u.code === unitCode) : g.role !== "admin" && g.unitCode === unitCode,
  );
}

/** Someone left (or was removed from) a linked group: their roles there end at once and the staff are told. */
export function memberLeft(ctx: Ctx, ev: InboundEvent): Effect[] {
  if (ev.body.kind !== "member_left" || ev.chat.type !== "group") return [];
  const m = ctx.messages;
  const unitCode = ctx.world.chatUnit(ev.platform, ev.chat.id);
  if (!unitCode) return [];
  const member = ev.body.member;
  const ref: PersonRef = { platform: ev.platform, userId: member.id };
  const name = ctx.world.person(ref)?.name ?? member.name;
  const grants = rolesTiedTo(ctx, ref, unitCode);
  const pending = ctx.world.pendingRequests().filter((r) => r.person.platform === ev.platform && r.person.userId === member.id && r.chatId === ev.chat.id);
  if (grants.length === 0 && pending.length === 0) return [];
  const by = `left:${ev.platform}:${ev.chat.id}`;
  const effects: Effect[] = [
    ...grants.map((g): Effect => ({ type: "revoke_role", roleId: g.id, by })),
    ...pending.map((r): Effect => ({ type: "decide_request", id: r.id, status: "refused", by: personOf(ev), reason: "left the group" })),
    ...stopSessionsUnder(ctx, ref, unitCode, { platform: ev.platform, chatId: ev.chat.id }).effects,
  ];
  if (grants.length === 0) return effects;
  const roles = grants.map((g) => {
    const unit = ctx.world.unit(g.unitCode)?.name ?? g.unitCode;
    return fill(g.role === "reporter" ? m.left_role_reporter : m.left_role_staff, { unit });
  });
  // The staff of the group's unit (on this platform) are named, so the platform notifies them.
  const staff = [...ctx.world.holders(unitCode, "commune_staff"), ...ctx.world.holders(unitCode, "officer")].filter(
    (p, i, all) => p.platform === ev.platform && p.userId !== member.id && all.findIndex((q) => q.userId === p.userId) === i,
  );
  const text = fill(m.member_left, {
    staff: staff.length > 0 ? staff.map((p) => p.name).join(", ") : m.left_staff_fallback,
    name,
    roles: roles.join(", "),
  });
  effects.push({
    type: "reply",
    out: { platform: ev.platform, chatId: ev.chat.id, text, replyTo: ev.messageId, mentions: staff.map((p) => ({ userId: p.userId, name: p.name })), purpose: "info" },
  });
  return effects;
}
