// The bot's own place in a chat. When it is removed from a group or blocked by a person (the platform says so,
// or a send is refused), the chat is marked gone — whatever is queued for it is dropped with the reason — and
// the people who can act are told once: for a linked group, the nearest unit above with a group on the same
// platform (or, when there is none, the unit's staff and the officers above, privately); for a person, the
// groups where they report or work. When the bot is added back the link is as it was, and the same people
// hear that it is back.
import type { ChatGoneReason, InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import type { Person, Platform, Unit } from "../types.js";
import { communeOf, type Ctx } from "./context.js";

/** Decides on a `bot_membership` event. A change already known (a second refused send) decides nothing. */
export function onBotMembership(ctx: Ctx, ev: InboundEvent, present: boolean, reason: ChatGoneReason | undefined): Effect[] {
  const known = ctx.world.chatStatus(ev.platform, ev.chat.id);
  if (present ? known !== "gone" : known === "gone") return [];
  const why = reason ?? (ev.chat.type === "private" ? "blocked" : "kicked");
  const status: Effect = { type: "chat_status", platform: ev.platform, chatId: ev.chat.id, status: present ? "active" : "gone", reason: present ? undefined : why };
  const notices = ev.chat.type === "group" ? groupNotices(ctx, ev, present, why) : personNotices(ctx, ev, present, why);
  return [status, ...notices];
}

/** A message from a chat marked gone shows the bot can write there again (Zalo reports no membership changes). */
export function backOnMessage(ctx: Ctx, ev: InboundEvent): Effect[] {
  return ctx.world.chatStatus(ev.platform, ev.chat.id) === "gone"
    ? [{ type: "chat_status", platform: ev.platform, chatId: ev.chat.id, status: "active" }]
    : [];
}

function reasonText(ctx: Ctx, reason: ChatGoneReason): string {
  return ctx.messages[`gone_${reason}`];
}

const post = (platform: Platform, chatId: string, text: string): Effect => ({ type: "reply", out: { platform, chatId, text, purpose: "info" } });

/** Chats of a unit on the platform that the bot can still write to. */
function liveChats(ctx: Ctx, platform: Platform, unit: string, except?: string): string[] {
  return ctx.world.chatsOf(platform, unit).filter((c) => c !== except && ctx.world.chatStatus(platform, c) !== "gone");
}

function privately(ctx: Ctx, people: Person[], platform: Platform, text: string): Effect[] {
  const seen = new Set<string>();
  return people
    .filter((p) => p.platform === platform && !seen.has(p.userId) && seen.add(p.userId) && ctx.world.chatStatus(platform, p.userId) !== "gone")
    .map((p) => post(platform, p.userId, text));
}

function groupNotices(ctx: Ctx, ev: InboundEvent, present: boolean, reason: ChatGoneReason): Effect[] {
  const m = ctx.messages;
  const code = ctx.world.chatUnit(ev.platform, ev.chat.id);
  const unit = code ? ctx.world.unit(code) : undefined;
  if (!unit) return [];
  const text = present ? fill(m.chat_back_group, { unit: unit.name }) : fill(m.chat_gone_group, { unit: unit.name, reason: reasonText(ctx, reason) });
  const here = present ? [post(ev.platform, ev.chat.id, fill(m.chat_back_here, { unit: unit.name }))] : [];
  const above = ctx.world.lineage(unit.code).slice(1);
  for (const u of above) {
    const chats = liveChats(ctx, ev.platform, u.code);
    if (chats.length > 0) return [...here, ...chats.map((c) => post(ev.platform, c, text))];
  }
  // No group above on this platform: the unit's own staff and the officers above, each privately.
  const people = [unit, ...above].flatMap((u: Unit) => [...ctx.world.holders(u.code, "commune_staff"), ...ctx.world.holders(u.code, "officer")]);
  return [...here, ...privately(ctx, people, ev.platform, text)];
}

function personNotices(ctx: Ctx, ev: InboundEvent, present: boolean, reason: ChatGoneReason): Effect[] {
  // Someone coming back is simply welcome again; only the loss of a private line is worth the staff's time.
  if (present) return [];
  const person = ctx.world.person({ platform: ev.platform, userId: ev.chat.id });
  const roles = ctx.world.roles({ platform: ev.platform, userId: ev.chat.id });
  if (!person || roles.length === 0) return [];
  const units = roles.map((g) => ctx.world.unit(g.unitCode)).filter((u): u is Unit => !!u);
  // A leader is reached through the commune group; staff through their own unit's group.
  const groupUnits = [...new Set(units.map((u) => (u.level === "area" ? (communeOf(ctx, u.code)?.code ?? u.code) : u.code)))];
  const text = fill(ctx.messages.person_gone, { name: person.name, units: units.map((u) => u.name).join(", "), reason: reasonText(ctx, reason) });
  return [...new Set(groupUnits.flatMap((u) => liveChats(ctx, ev.platform, u)))].map((c) => post(ev.platform, c, text));
}
