// Reminding the units that lag on a report (/nhacnho, and the scheduled reminders): one message per group,
// naming (and so notifying) the people who fill each lagging unit's report, none of them twice within the
// form's cooldown.
import type { AreaStatus, Summary } from "../aggregate/summary.js";
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { dueDate } from "../forms/form-periods.js";
import { daysBetween, formatShortDate, localDate } from "../local-time.js";
import { fill } from "../messages.js";
import { periodKey } from "../periods.js";
import type { Person, Unit } from "../types.js";
import { type Ctx, communeOf, fillersOf, reportLabel } from "./context.js";
import { summaryOf } from "./summary-text.js";

export interface Pinged {
  effects: Effect[];
  /** Units whose people were reminded. */
  pinged: string[];
  /** Units nobody could be reminded for (no one registered, or no group on these platforms). */
  cannot: string[];
  /** Units whose people were all reminded within the cooldown. */
  skipped: string[];
  /** The text sent to each group, by "platform:chatId". */
  byChat: Map<string, string>;
}

/**
 * The units that have not submitted: a commune's listed ones, or above a commune those of every unit below that
 * lags (each read from its own summary, so only the lagging part of the tree is visited).
 */
export function laggingUnits(ctx: Ctx, s: Summary): AreaStatus[] {
  if (s.listed) return s.missing;
  return s.columns.filter((c) => c.submitted < c.total).flatMap((c) => laggingUnits(ctx, summaryOf(ctx, s.form, c.unit, s.period)));
}

/** The reminder to the lagging units' people: one message per group (their commune's), naming each of them. */
export function pingLagging(ctx: Ctx, s: Summary, cooldownHours: number, platforms: Array<InboundEvent["platform"]>): Pinged {
  const m = ctx.messages;
  const effects: Effect[] = [];
  const pinged: string[] = [];
  const cannot: string[] = [];
  const skipped: string[] = [];
  const byChat = new Map<string, string>();
  const now = ctx.now.getTime();
  const due = dueDate(s.form, s.period);
  const days = daysBetween(localDate(ctx.now), due);
  const left = days > 0 ? fill(m.remind_left_days, { days }) : days === 0 ? m.remind_left_today : fill(m.remind_left_late, { days: -days });
  // Group the people to ping by the chat they will be pinged in.
  const chats = new Map<string, { platform: InboundEvent["platform"]; chatId: string; people: Array<{ person: Person; unit: Unit }> }>();
  for (const a of laggingUnits(ctx, s)) {
    const people = fillersOf(ctx, a.unit).filter((p) => platforms.includes(p.platform));
    if (people.length === 0) {
      cannot.push(a.unit.name);
      continue;
    }
    const fresh = people.filter((p) => {
      const last = ctx.world.lastPinged(p, s.form.id);
      return last === undefined || now - last >= cooldownHours * 3_600_000;
    });
    if (fresh.length === 0) {
      skipped.push(a.unit.name);
      continue;
    }
    const commune = communeOf(ctx, a.unit.code)?.code ?? "";
    let placed = false;
    for (const p of fresh) {
      const chatId = ctx.world.chatsOf(p.platform, commune)[0];
      if (!chatId) continue;
      const key = `${p.platform}:${chatId}`;
      const entry = chats.get(key) ?? { platform: p.platform, chatId, people: [] };
      entry.people.push({ person: p, unit: a.unit });
      chats.set(key, entry);
      placed = true;
    }
    if (placed) pinged.push(a.unit.name);
    else cannot.push(a.unit.name);
  }
  for (const { platform, chatId, people } of chats.values()) {
    const text = fill(m.remind_ping, {
      names: people.map((x) => `${x.person.name} (${x.unit.name})`).join(", "),
      period: reportLabel(ctx, s.form, s.period),
      deadline: formatShortDate(due),
      left,
      command: ctx.forms.length > 1 ? `/baocao ${s.form.short}` : "/baocao",
    });
    byChat.set(`${platform}:${chatId}`, text);
    effects.push({
      type: "reply",
      out: { platform, chatId, text, mentions: people.map((x) => ({ userId: x.person.userId, name: x.person.name })), purpose: "reminder" },
    });
    for (const x of people) effects.push({ type: "ping", person: x.person, report: { unit: x.unit.code, form: s.form.id, period: periodKey(s.period) } });
  }
  return { effects, pinged, cannot, skipped, byChat };
}
