// What every decision gets: stored facts (read-only), the prompts, the clock and a token source; plus the
// small helpers all command handlers share (replying, permissions, the open period).
import type { InboundEvent, Outgoing } from "../events.js";
import type { Effect } from "../effects.js";
import type { FormDef } from "../forms/schema.js";
import { fill, type Messages } from "../messages.js";
import type { ReportTexts } from "../report/texts.js";
import { parsePeriodKey, periodKey, periodLabel, type Period } from "../periods.js";
import { clockPeriod, dueDate } from "../forms/form-periods.js";
import { formatShortDate } from "../local-time.js";
import type { Person, Role, SessionKey, Unit } from "../types.js";
import type { World } from "../world.js";

export interface Ctx {
  world: World;
  forms: FormDef[];
  messages: Messages;
  report: ReportTexts;
  now: Date;
  /** An unguessable token (private-chat links). Injected so tests stay deterministic. */
  newToken(): string;
  /** The web view, when the bot's HTTP server is on. */
  web?: WebViewSettings;
}

export interface WebViewSettings {
  /** Public base address of the bot's HTTP server ("https://host"). */
  baseUrl: string;
  /** How long a personal link works. */
  hours: number;
  /** A long unguessable token for a personal link. */
  newToken(): string;
}

export function personOf(ev: InboundEvent): Person {
  return { platform: ev.platform, userId: ev.from.id, name: ev.from.name, username: ev.from.username };
}

export function sessionKey(ev: InboundEvent): SessionKey {
  return { platform: ev.platform, chatId: ev.chat.id, userId: ev.from.id };
}

/** A reply to the person, in the chat they wrote in, threaded under their message (or under the bot's
 * message whose button they pressed). */
export function reply(ev: InboundEvent, text: string, extra: Partial<Outgoing> = {}): Effect {
  const replyTo = ev.body.kind === "choice" ? ev.body.messageId : ev.messageId;
  return {
    type: "reply",
    out: { platform: ev.platform, chatId: ev.chat.id, text, replyTo, owner: ev.from.id, ...extra },
  };
}

export function defaultForm(ctx: Ctx): FormDef {
  return ctx.forms[0]!;
}

export function formById(ctx: Ctx, id: string): FormDef | undefined {
  return ctx.forms.find((f) => f.id === id);
}

/** The commune an area (or the commune itself) belongs to. */
export function communeOf(ctx: Ctx, unitCode: string): Unit | undefined {
  return ctx.world.lineage(unitCode).find((u) => u.level === "commune");
}

/** True when the person holds one of `roles` on the unit or on one of its ancestors; admins hold all. */
export function hasAuthority(ctx: Ctx, person: Person, unitCode: string, roles: Role[]): boolean {
  const lineage = new Set(ctx.world.lineage(unitCode).map((u) => u.code));
  return ctx.world
    .roles(person)
    .some((g) => g.role === "admin" || (roles.includes(g.role) && lineage.has(g.unitCode)));
}

export function isStaffOf(ctx: Ctx, person: Person, unitCode: string): boolean {
  return hasAuthority(ctx, person, unitCode, ["commune_staff", "officer"]);
}

/** Areas the person reports for, optionally only those under one commune. */
export function reporterAreas(ctx: Ctx, person: Person, communeCode?: string): Unit[] {
  return ctx.world
    .roles(person)
    .filter((g) => g.role === "reporter")
    .map((g) => ctx.world.unit(g.unitCode))
    .filter((u): u is Unit => !!u && (!communeCode || communeOf(ctx, u.code)?.code === communeCode))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** The period being collected: the staff's choice for the commune if any, else the one the clock says. */
export function currentPeriod(ctx: Ctx, form: FormDef, unitCode: string): Period {
  const commune = communeOf(ctx, unitCode)?.code ?? unitCode;
  const override = ctx.world.openPeriodOverride(commune, form.id);
  const chosen = override ? parsePeriodKey(override) : undefined;
  return chosen ?? clockPeriod(form, ctx.now);
}

export function deadlineText(form: FormDef, period: Period): string {
  return formatShortDate(dueDate(form, period));
}

export function periodText(key: string): string {
  const p = parsePeriodKey(key);
  return p ? periodLabel(p) : key;
}

export function refuse(ctx: Ctx, ev: InboundEvent, command: string, roles: Role[]): Effect {
  const m = ctx.messages;
  const who = roles.map((r) => m[`role_${r}`]).join(m.roles_joiner);
  const how = roles.includes("reporter") ? m.refused_how_register : m.refused_how_invite;
  return reply(ev, fill(m.refused, { command, who, how }));
}

export { periodKey };
