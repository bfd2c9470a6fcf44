// What every decision gets: stored facts (read-only), the prompts, the clock and a token source; plus the
// small helpers all command handlers share (replying, permissions, who fills which report, labels).
import { periodOfKey } from "../period-of-key.js";
import type { InboundEvent, Outgoing } from "../events.js";
import type { Effect } from "../effects.js";
import type { FormDef } from "../forms/schema.js";
import { fill, type Messages } from "../messages.js";
import { fills, reportingLevel } from "../open-reports.js";
import { ok, refused, type Outcome } from "../outcome.js";
import type { ReportTexts } from "../report/texts.js";
import { periodLabel, type Period } from "../periods.js";
import type { Person, PersonRef, Role, SessionKey, Unit } from "../types.js";
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

/** What a command already knows from a choice the person answered: the unit, the report kind. */
export interface Picked {
  unit?: Unit;
  form?: FormDef;
}

/** A command: the person's words after its name, and what an earlier choice settled. */
export type CommandHandler = (ctx: Ctx, ev: InboundEvent, args: string, picked?: Picked) => Effect[];

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

export function formById(ctx: Ctx, id: string): FormDef | undefined {
  return ctx.forms.find((f) => f.id === id);
}

/** The commune an area (or the commune itself) belongs to. */
export function communeOf(ctx: Ctx, unitCode: string): Unit | undefined {
  return ctx.world.lineage(unitCode).find((u) => u.level === "commune");
}

/** The unit the group the event came from is linked to, or the polite "not linked" reply. */
export function groupUnit(ctx: Ctx, ev: InboundEvent): Outcome<Unit> {
  const code = ctx.world.chatUnit(ev.platform, ev.chat.id);
  const unit = code ? ctx.world.unit(code) : undefined;
  return unit ? ok(unit) : refused(reply(ev, ctx.messages.not_linked));
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

/** The role that fills a unit's reports: an area's leaders (reporters), a commune's staff. */
function fillerRole(unit: Unit): Role | undefined {
  return unit.level === "area" ? "reporter" : unit.level === "commune" ? "commune_staff" : undefined;
}

/** Whether some form is filled by units of this level. */
function someFormFills(ctx: Ctx, unit: Unit): boolean {
  return ctx.forms.some((f) => fills(f, unit.level));
}

/**
 * The units whose reports the person fills, in code order: the areas they lead, and the communes whose staff
 * they are when a form is filled by communes; optionally only those in one commune.
 */
export function fillerUnits(ctx: Ctx, person: PersonRef, communeCode?: string): Unit[] {
  const units = ctx.world
    .roles(person)
    .map((g) => ({ g, u: ctx.world.unit(g.unitCode) }))
    .filter((x): x is { g: (typeof x)["g"]; u: Unit } => !!x.u && fillerRole(x.u) === x.g.role && someFormFills(ctx, x.u))
    .map((x) => x.u)
    .filter((u) => !communeCode || communeOf(ctx, u.code)?.code === communeCode);
  return units.filter((u, i) => units.findIndex((x) => x.code === u.code) === i).sort((a, b) => a.code.localeCompare(b.code));
}

/** Whether the person fills this unit's reports now (roles as stored at this moment): `fillerUnits` holds it. */
export function fillsFor(ctx: Ctx, person: PersonRef, unitCode: string): boolean {
  // Asked on every answer: only the roles on this unit matter, with no list to build and sort.
  return ctx.world.roles(person).some((g) => {
    if (g.unitCode !== unitCode) return false;
    const u = ctx.world.unit(g.unitCode);
    return !!u && fillerRole(u) === g.role && someFormFills(ctx, u);
  });
}

/** The people who fill a unit's reports: its leaders for an area, its staff for a commune. */
export function fillersOf(ctx: Ctx, unit: Unit): Person[] {
  const role = fillerRole(unit);
  return role ? ctx.world.holders(unit.code, role) : [];
}

/**
 * A report as the chat names it: its period ("tháng 11/2026"), and with several report kinds the kind too
 * ("quý IV/2026 (Tiếp xúc cử tri)").
 */
export function reportLabel(ctx: Ctx, form: FormDef, period: Period | string): string {
  const p = typeof period === "string" ? periodOfKey(ctx.world, form, period) : period;
  const label = p ? periodLabel(p) : String(period);
  return ctx.forms.length > 1 ? fill(ctx.messages.report_label, { period: label, name: form.name }) : label;
}

/** How sentences name the units that fill a form: `{units}` "khu dân cư" or "xã", `{units_short}` "khu" or "xã". */
export function unitWords(ctx: Ctx, form: FormDef): { units: string; units_short: string } {
  const level = reportingLevel(form);
  return { units: ctx.messages[`units_${level}`], units_short: ctx.messages[`units_short_${level}`] };
}

export function refuse(ctx: Ctx, ev: InboundEvent, command: string, roles: Role[]): Effect {
  const m = ctx.messages;
  const who = roles.map((r) => m[`role_${r}`]).join(m.roles_joiner);
  const how = roles.includes("reporter") ? m.refused_how_register : m.refused_how_invite;
  return reply(ev, fill(m.refused, { command, who, how }));
}
