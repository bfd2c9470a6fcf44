// /moky for a round form: "/moky txct Tiếp xúc cử tri trước kỳ họp thứ 5 từ 01/12 đến 10/12" opens a round for
// the unit whose staff type it (a commune, or a unit above for all communes below); "/moky txct" lists the open
// and recent rounds; "/moky txct đóng [đợt]" closes one early. One round of a form is open per unit at a time.
import { dueDate } from "../../forms/form-periods.js";
import type { FormDef } from "../../forms/schema.js";
import type { InboundEvent } from "../../events.js";
import type { Effect } from "../../effects.js";
import { addDays, daysBetween, formatShortDate, localDate } from "../../local-time.js";
import { fill } from "../../messages.js";
import { foldPeriodText } from "../../period-words.js";
import { periodLabel } from "../../periods.js";
import { findRound, isRoundOpen, readRoundWords, roundPeriod, roundsFor, type Round } from "../../rounds.js";
import { clipUnits } from "../../text.js";
import type { Unit } from "../../types.js";
import { type Ctx, personOf, reply, unitWords } from "../context.js";
import { ROUNDS_LISTED } from "../period-arg.js";

/** How far from today a round's dates may lie: a year back (catching up) or ahead. */
const MAX_DAYS_AWAY = 366;
const CLOSE_WORDS = ["dong", "ket thuc", "dong dot"];

/** "R12. Tiếp xúc cử tri … (01/12–10/12) — đang mở, hạn 13/12". */
function roundLine(ctx: Ctx, form: FormDef, r: Round): string {
  const m = ctx.messages;
  const open = isRoundOpen(form, r, ctx.now);
  const mark = open ? fill(m.round_open_mark, { deadline: formatShortDate(dueDate(form, roundPeriod(r))) }) : r.closedAt ? m.round_closed_mark : "";
  return fill(m.round_item, { id: r.id, label: periodLabel(roundPeriod(r)) }) + mark;
}

export function mokyRound(ctx: Ctx, ev: InboundEvent, unit: Unit, form: FormDef, rest: string): Effect[] {
  const m = ctx.messages;
  const today = localDate(ctx.now);
  const all = roundsFor(ctx.world, form, unit.code);
  const own = all.filter((r) => r.unit === unit.code);
  const days = form.period.round?.days ?? 7;
  const example = { short: form.short, name: form.name, from: formatShortDate(today), to: formatShortDate(addDays(today, days - 1)), days };
  if (!rest) {
    if (all.length === 0) return [reply(ev, fill(m.round_none, { name: form.name, short: form.short }))];
    const lines = all.slice(0, ROUNDS_LISTED).map((r) => roundLine(ctx, form, r));
    return [reply(ev, fill(m.round_list, { ...example, unit: unit.name, rounds: lines.join("\n") }))];
  }
  const folded = foldPeriodText(rest).replace(/\s+/g, " ").trim();
  const close = CLOSE_WORDS.find((w) => folded === w || folded.startsWith(`${w} `));
  if (close) {
    const named = folded.slice(close.length).trim();
    const open = own.filter((r) => isRoundOpen(form, r, ctx.now));
    const target = named ? findRound(open, rest.trim().split(/\s+/).slice(close.split(" ").length).join(" ")) : open[0];
    if (!target) return [reply(ev, fill(m.round_close_none, { name: form.name, unit: unit.name }))];
    return [
      { type: "close_round", id: target.id, by: personOf(ev) },
      reply(ev, fill(m.round_closed, { label: periodLabel(roundPeriod(target)), name: form.name })),
    ];
  }
  // "tự động" belongs to the clock's periods; a round is never named so by mistake.
  if (["tu dong", "auto", "mac dinh"].includes(folded)) return [reply(ev, fill(m.round_usage, { ...example, example: form.name }))];
  const words = readRoundWords(rest, today);
  if (!words.ok) return [reply(ev, fill(m.round_dates_invalid, { text: clipUnits(rest.trim(), 60) }))];
  const name = words.name.replace(/^["“”']+|["“”']+$/g, "").trim();
  if (name.length < 3 || /^\d+$/.test(name)) return [reply(ev, fill(m.round_usage, { ...example, example: form.name }))];
  const start = words.start ?? today;
  const end = words.end ?? addDays(start, days - 1);
  if (Math.abs(daysBetween(today, start)) > MAX_DAYS_AWAY || Math.abs(daysBetween(today, end)) > MAX_DAYS_AWAY) {
    return [reply(ev, fill(m.round_dates_invalid, { text: clipUnits(rest.trim(), 60) }))];
  }
  const stillOpen = own.find((r) => isRoundOpen(form, r, ctx.now));
  if (stillOpen) {
    return [reply(ev, fill(m.round_still_open, { label: periodLabel(roundPeriod(stillOpen)), name: form.name, short: form.short, deadline: formatShortDate(dueDate(form, roundPeriod(stillOpen))) }))];
  }
  const person = personOf(ev);
  const round: Round = { id: ctx.world.nextRoundId(), form: form.id, unit: unit.code, name: clipUnits(name, 150), start, end, openedBy: `${person.platform}:${person.userId}`, openedAt: ctx.now.toISOString() };
  const period = roundPeriod(round);
  return [
    { type: "open_round", round, by: person },
    reply(ev, fill(m.round_opened, { label: periodLabel(period), id: round.id, unit: unit.name, deadline: formatShortDate(dueDate(form, period)), short: form.short, ...unitWords(ctx, form) })),
  ];
}
