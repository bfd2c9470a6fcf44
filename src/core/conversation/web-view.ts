// /web in a private chat: a staff member or officer gets a personal link to the web view of their units. A new
// link replaces the old one; "/web tat" revokes it. What the page shows is checked again on every request, from
// the person's roles at that moment.
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { foldText } from "../numbers/normalize.js";
import { inSentence } from "../report/unit-names.js";
import { formatChatDate, localDate, formatClock } from "../local-time.js";
import { type Ctx, personOf, refuse, reply } from "./context.js";

/** Where the web view is served; a link is `${WEB_PREFIX}<token>`. */
export const WEB_PREFIX = "/web/";

const REVOKE_WORDS = new Set(["tat", "huy", "thu hoi", "off"]);

/** The local time and date of an instant: { time: "09:00", date: "13/11/2026" }. */
export function timeAndDate(at: Date): { time: string; date: string } {
  return { time: formatClock(at), date: formatChatDate(localDate(at)) };
}

/** /web, /web tat */
export function webCommand(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const m = ctx.messages;
  const person = personOf(ev);
  const grants = ctx.world.roles(person).filter((g) => g.role !== "reporter");
  if (grants.length === 0) return [refuse(ctx, ev, "/web", ["commune_staff", "officer"])];
  if (ev.chat.type !== "private") return [reply(ev, m.web_private_only)];
  if (REVOKE_WORDS.has(foldText(args))) return [{ type: "revoke_web_links", person }, reply(ev, m.web_revoked)];
  if (!ctx.web) return [reply(ev, m.web_unavailable)];
  const token = ctx.web.newToken();
  const expiresAt = ctx.now.getTime() + ctx.web.hours * 3_600_000;
  const url = `${ctx.web.baseUrl.replace(/\/+$/, "")}${WEB_PREFIX}${token}`;
  const unit = inSentence(grants.map((g) => ctx.world.unit(g.unitCode)?.name).find(Boolean) ?? "");
  return [
    { type: "web_link", token, person, expiresAt },
    reply(ev, fill(m.web_link, { url, unit, ...timeAndDate(new Date(expiresAt)) }), { webApp: { label: m.web_button, url } }),
  ];
}
