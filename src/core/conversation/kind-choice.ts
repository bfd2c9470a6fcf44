// Several report kinds apply and the command named none: a short choice among them (buttons on Telegram, a
// numbered list on Zalo), each with its period and, for a leader, whether it is already submitted. The answer
// (a button, the number, the short name or the name) lets the command go on with that kind.
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import type { FormDef } from "../forms/schema.js";
import { fill } from "../messages.js";
import { foldText } from "../numbers/normalize.js";
import { periodLabel, type Period } from "../periods.js";
import { clipUnits } from "../text.js";
import type { SessionState } from "../types.js";
import { type Ctx, formById, reply, sessionKey } from "./context.js";

export interface KindOption {
  form: FormDef;
  period?: Period;
  /** Already submitted by the person's unit. */
  done?: boolean;
}

export type PickForm = Extract<SessionState, { mode: "pick_form" }>;

/** "thang (Báo cáo tháng), txct (Tiếp xúc cử tri)": the kinds with the short names to type. */
export function kindList(ctx: Ctx, forms: readonly FormDef[]): string {
  return forms.map((f) => fill(ctx.messages.kind_item, { short: f.short, name: f.name })).join(", ");
}

/** Offers the choice; `command` then goes on with the chosen kind, `args` and the unit already chosen. */
export function chooseKind(ctx: Ctx, ev: InboundEvent, options: KindOption[], next: { command: string; args: string; unit?: string }): Effect[] {
  const m = ctx.messages;
  const rows = options.map((o, i) => [
    {
      label: fill(m.kind_option, { n: i + 1, name: o.form.name, period: o.period ? periodLabel(o.period) : "" }).replace(/ — $/, "") + (o.done ? m.kind_done : ""),
      data: `pf:${o.form.id}`,
    },
  ]);
  const text = fill(m.kind_choose, { name: ev.from.name, n: options.length, command: `/${next.command}`, example: options[0]!.form.short });
  const state: PickForm = { mode: "pick_form", forms: options.map((o) => o.form.id), command: next.command, args: next.args, ...(next.unit ? { unit: next.unit } : {}) };
  return [
    { type: "set_session", key: sessionKey(ev), state },
    reply(ev, text, { choices: rows, purpose: "question", question: { kind: "choice", topic: "kind" } }),
  ];
}

/** The kind an answer to the choice names, among those offered: a button, its number, short name or name. */
export function pickedKind(ctx: Ctx, state: PickForm, answer: string): FormDef | undefined {
  const offered = state.forms.map((id) => formById(ctx, id)).filter((f): f is FormDef => !!f);
  const text = answer.trim();
  if (text.startsWith("pf:")) return offered.find((f) => f.id === text.slice(3));
  const folded = foldText(text);
  if (/^\d{1,2}$/.test(folded)) return offered[Number(folded) - 1];
  return offered.find((f) => f.short === folded || foldText(f.name) === folded);
}

/** The answer named none of the kinds offered. */
export function unknownKind(ctx: Ctx, ev: InboundEvent, state: PickForm, answer: string): Effect {
  const offered = state.forms.map((id) => formById(ctx, id)).filter((f): f is FormDef => !!f);
  return reply(ev, fill(ctx.messages.kind_unknown, { text: clipUnits(answer.replace(/^pf:/, "").trim(), 40), kinds: kindList(ctx, offered) }));
}
