// A period typed with a command (/moky, /tonghop, /tiendo, /nhacnho, /xuat, the CLI's --period): read the
// way staff type it, checked against what the form can report and against a window around the clock, and
// answered with a polite sentence that says what is accepted when it cannot be used.
import { campaignSpec, clockPeriod, memberPeriods } from "../forms/form-periods.js";
import type { InboundEvent } from "../events.js";
import type { FormDef } from "../forms/schema.js";
import { fill, type Messages } from "../messages.js";
import { campaignOf, periodLabel, periodWindow, readPeriod, withinWindow, type Period } from "../periods.js";
import { currentRound, findRound, previousRound, roundPeriod, roundsFor } from "../rounds.js";
import { clipUnits } from "../text.js";
import { collectedPeriod } from "../open-reports.js";
import { foldPeriodText } from "../period-words.js";
import { ok, refused, type Outcome } from "../outcome.js";
import { type Ctx, reply } from "./context.js";

/**
 * How many years back a command may reach from the period the clock is collecting; forward, every command
 * stops at the period right after it. Opening a period is for catching up on recent ones; summaries and
 * exports may look further back at what is stored.
 */
export const PERIOD_YEARS_BACK = { open: 2, summary: 10 } as const;

/** "open": /moky, only the form's own kind. "summary": a period of the form's kind or one made of them. */
export type PeriodUse = keyof typeof PERIOD_YEARS_BACK;

export interface PeriodArgContext {
  now: Date;
  form: FormDef;
  messages: Messages;
  /** The period being collected for the unit ("kỳ này", "cùng kỳ năm ngoái" count from it). */
  current: Period;
  /** How the command is named in the reply ("/moky", "--period"). */
  command: string;
}

export type CheckedPeriod = { ok: true; period: Period } | { ok: false; message: string };

/** Reads and checks a typed period; on failure, the sentence to answer with. */
export function checkTypedPeriod(text: string, use: PeriodUse, c: PeriodArgContext): CheckedPeriod {
  const m = c.messages;
  const shown = clipUnits(text.trim(), 40);
  const kind = c.form.period.kind;
  const campaign = campaignSpec(c.form);
  const campaignKey = campaign ? /^\s*(\d{4})-C\s*$/i.exec(text) : null;
  const typed = readPeriod(text, c.now, { defaultKind: kind, current: c.current });
  // A campaign form's campaign is named by its year ("năm 2025", "2025-C") as well as "kỳ này", "kỳ trước".
  const read: typeof typed = campaignKey
    ? { ok: true, period: campaignOf(campaign!, Number(campaignKey[1])) }
    : campaign && use === "open" && typed.ok && typed.period.kind === "year"
      ? { ok: true, period: campaignOf(campaign, typed.period.year) }
      : typed;
  if (!read.ok && read.reason === "ambiguous") {
    const options = read.candidates.map(periodLabel);
    return { ok: false, message: fill(m.period_ambiguous, { text: shown, options: options.join(m.period_or), example: options[0] }) };
  }
  if (!read.ok) return { ok: false, message: fill(m.period_invalid, { text: shown }) };
  const p = read.period;
  if (use === "open" && p.kind !== kind) {
    return { ok: false, message: fill(m.period_wrong_kind, { kind: m[`kind_${kind}`], example: periodLabel(c.current) }) };
  }
  if (use === "summary" && !memberPeriods(c.form, p)) {
    return { ok: false, message: fill(m.period_unsupported, { kind: m[`kind_${kind}`], text: shown }) };
  }
  const clock = clockPeriod(c.form, c.now);
  const window = periodWindow(clock, PERIOD_YEARS_BACK[use]);
  if (!withinWindow(p, window)) {
    return {
      ok: false,
      message: fill(m.period_out_of_range, { command: c.command, period: periodLabel(p), from: periodLabel(window.from), to: periodLabel(window.to) }),
    };
  }
  return { ok: true, period: p };
}

/** The period a staff command names for a unit, or the polite reply that changes nothing. */
export function typedPeriod(ctx: Ctx, ev: InboundEvent, form: FormDef, unitCode: string, text: string, use: PeriodUse, command: string): Outcome<Period> {
  if (form.period.kind === "round") {
    const round = typedRound(ctx, form, unitCode, text);
    return round.ok ? ok(round.period) : refused(reply(ev, round.message));
  }
  const checked = checkTypedPeriod(text, use, { now: ctx.now, form, messages: ctx.messages, current: collectedPeriod(ctx, form, unitCode), command });
  return checked.ok ? ok(checked.period) : refused(reply(ev, checked.message));
}

/**
 * A round named with a command: its number ("R12", "12"), "đợt này" / "đợt trước", or words of its name; the
 * rounds of the form opened for the unit or above it. On failure, the sentence listing the recent rounds.
 */
export function typedRound(ctx: Pick<Ctx, "world" | "now" | "messages">, form: FormDef, unitCode: string, text: string): CheckedPeriod {
  const rounds = roundsFor(ctx.world, form, unitCode);
  const current = currentRound(ctx.world, form, unitCode, ctx.now).period;
  const found = findRound(rounds, text, rounds.find((r) => r.id === current.index));
  if (found) return { ok: true, period: roundPeriod(found, previousRound(rounds, found)) };
  const m = ctx.messages;
  if (rounds.length === 0) return { ok: false, message: fill(m.round_none, { name: form.name, short: form.short }) };
  const listed = rounds.slice(0, ROUNDS_LISTED).map((r) => fill(m.round_item, { id: r.id, label: periodLabel(roundPeriod(r)) }));
  return { ok: false, message: fill(m.round_unknown, { text: clipUnits(text.trim(), 40), name: form.name, rounds: listed.join("\n"), example: `R${rounds[0]!.id}` }) };
}

/** How many recent rounds a list shows. */
export const ROUNDS_LISTED = 8;

/** Words that may name a period before the rest of a command ("tháng 11", "kỳ trước"); longest first. */
const MAX_PERIOD_WORDS = 4;

/** "R12", "r 12", "đợt này", "đợt trước" (folded): how a round is named before other words. */
const ROUND_REF = /^(r ?\d{1,6}|(dot|ky) (nay|truoc|hien tai|vua qua))$/;

/**
 * A period typed right after a unit (`/mien 8 tháng 12 …`, `/duyet 3 tháng trước`): the longest run of leading
 * words that reads as a period with a word in it. A bare "3" starts a reason such as "3 hộ chuyển đi", never a
 * month, and a lone word followed by more ("năm hộ …") is a count, not this year. A round is named by its number
 * or as this or the last one ("R12", "đợt trước"); the words of its name, which could start a reason, are not read
 * here. A period of another kind than the form's own, or one outside the window of /moky, is refused (`wrongKind`:
 * the sentence for the first) rather than read as part of the rest; without one, the rest is the whole text.
 */
export function leadingPeriod(
  ctx: Ctx,
  ev: InboundEvent,
  form: FormDef,
  unit: { code: string },
  text: string,
  command: string,
  wrongKind: "exempt_period_kind" | "period_wrong_kind",
): Outcome<{ period?: Period; rest: string }> {
  const words = text.split(/\s+/).filter(Boolean);
  const current = collectedPeriod(ctx, form, unit.code);
  const rest = (k: number) => words.slice(k).join(" ");
  for (let k = Math.min(MAX_PERIOD_WORDS, words.length); k >= 1; k--) {
    const head = words.slice(0, k).join(" ");
    if (!/[\p{L}/-]/u.test(head)) continue;
    if (form.period.kind === "round" && ROUND_REF.test(foldPeriodText(head).replace(/\s+/g, " ").trim())) {
      const round = typedRound(ctx, form, unit.code, head);
      return round.ok ? ok({ period: round.period, rest: rest(k) }) : refused(reply(ev, round.message));
    }
    if (k === 1 && words.length > 1 && !/\d/.test(head)) continue;
    const read = readPeriod(head, ctx.now, { defaultKind: form.period.kind, current });
    if (!read.ok && read.reason !== "ambiguous") continue;
    // Checked before the kind is compared: a campaign form's campaign is named by its year ("năm 2025"). A round
    // form's reports are its rounds, which no calendar period names.
    const checked =
      form.period.kind === "round" ? undefined : checkTypedPeriod(head, "open", { now: ctx.now, form, messages: ctx.messages, current, command });
    if (checked?.ok) return ok({ period: checked.period, rest: rest(k) });
    if (!checked || (read.ok && read.period.kind !== form.period.kind)) {
      return refused(reply(ev, fill(ctx.messages[wrongKind], { kind: ctx.messages[`kind_${form.period.kind}`], example: periodLabel(current) })));
    }
    return refused(reply(ev, checked.message));
  }
  return ok({ rest: text.trim() });
}
