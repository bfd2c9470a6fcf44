// What a staff command is about: the unit (the group's linked unit, when the caller's role covers it), the
// report kind (named, or the only one that applies, or the only one open — else a short choice) and the
// period (typed as staff type it, or the one being collected). Every command checks this again on each use.
import type { AreaStatus, Summary } from "../aggregate/summary.js";
import type { InboundEvent } from "../events.js";
import type { FormDef } from "../forms/schema.js";
import { fill } from "../messages.js";
import { collectedPeriod, formsOverseenBy, openFormsOver } from "../open-reports.js";
import { ok, refused, type Outcome } from "../outcome.js";
import { periodKey, readPeriod, type Period } from "../periods.js";
import { clipUnits } from "../text.js";
import type { Unit } from "../types.js";
import { matchArea } from "./area-match.js";
import { type Ctx, hasAuthority, personOf, refuse, reply } from "./context.js";
import { readKind } from "./kind-arg.js";
import { chooseKind } from "./kind-choice.js";
import { leadingPeriod, typedPeriod } from "./period-arg.js";
import { summaryOf } from "./summary-text.js";

/** The unit a staff command is about: the group's linked unit (in private, the first unit of their role). */
export function oversightUnit(ctx: Ctx, ev: InboundEvent, command: string): Outcome<Unit> {
  const person = personOf(ev);
  const grants = ctx.world.roles(person).filter((g) => g.role !== "reporter");
  if (grants.length === 0) return refused(refuse(ctx, ev, command, ["commune_staff", "officer"]));
  const code = ev.chat.type === "group" ? ctx.world.chatUnit(ev.platform, ev.chat.id) : grants[0]!.unitCode;
  if (!code) return refused(reply(ev, ctx.messages.not_linked));
  const unit = ctx.world.unit(code);
  if (!unit || unit.level === "area" || !hasAuthority(ctx, person, unit.code, ["commune_staff", "officer"])) {
    return refused(reply(ev, fill(ctx.messages.oversight_where, { command })));
  }
  return ok(unit);
}

/** How a command reads its report kind. */
export interface KindRules {
  /** A number at the start names the kind (not for commands whose first number is something else). */
  numbers: boolean;
}

/**
 * The report kind a staff command over `unit` is about, and the rest of its words: the one chosen from the
 * choice, the one named, the only one that applies, or the only one open now; otherwise a short choice.
 */
export function staffKind(ctx: Ctx, ev: InboundEvent, unit: Unit, command: string, args: string, picked: FormDef | undefined, rules: KindRules): Outcome<{ form: FormDef; rest: string }> {
  const listed = formsOverseenBy(ctx.forms, unit);
  if (picked && listed.includes(picked)) return ok({ form: picked, rest: args.trim() });
  const read = readKind(ctx.forms, listed, args, { numbers: rules.numbers });
  // "thang truoc" is the period "tháng trước", not the kind "thang" and then "truoc".
  const typed = read.form && read.rest && readsAsPeriod(ctx, args) && !readsAsPeriod(ctx, read.rest) ? { form: undefined, rest: args.trim() } : read;
  if (typed.form) {
    return listed.includes(typed.form)
      ? ok({ form: typed.form, rest: typed.rest })
      : refused(reply(ev, fill(ctx.messages.kind_not_for, { name: typed.form.name, unit: unit.name })));
  }
  if (listed.length === 1) return ok({ form: listed[0]!, rest: typed.rest });
  const open = openFormsOver(ctx, unit);
  if (open.length === 1) return ok({ form: open[0]!.form, rest: typed.rest });
  const options = listed.map((form) => ({ form, period: collectedPeriod(ctx, form, unit.code) }));
  return refused(...chooseKind(ctx, ev, options, { command: command.replace(/^\//, ""), args }));
}

/** Whether the words read as a period (or as one of two: the bot would ask which). */
function readsAsPeriod(ctx: Ctx, text: string): boolean {
  const read = readPeriod(text, ctx.now);
  return read.ok || read.reason === "ambiguous";
}

/** "[kỳ]": a period as people type it, or the period being collected. Longer periods work for a monthly form. */
export function periodArg(ctx: Ctx, ev: InboundEvent, form: FormDef, unit: Unit, text: string, command: string): Outcome<Period> {
  if (!text.trim()) {
    const current = collectedPeriod(ctx, form, unit.code);
    // A round form that never had a round has nothing to sum up or follow.
    if (current.kind === "round" && current.index === 0) return refused(reply(ev, fill(ctx.messages.round_none, { name: form.name, short: form.short })));
    return ok(current);
  }
  return typedPeriod(ctx, ev, form, unit.code, text, "summary", command);
}

export interface Scope {
  unit: Unit;
  form: FormDef;
  period: Period;
}

/** The unit, report kind and period of a staff command with "[loại] [kỳ]". */
export function staffScope(ctx: Ctx, ev: InboundEvent, command: string, args: string, picked?: FormDef): Outcome<Scope> {
  const unit = oversightUnit(ctx, ev, command);
  if (!unit.ok) return unit;
  const kind = staffKind(ctx, ev, unit.value, command, args, picked, { numbers: true });
  if (!kind.ok) return kind;
  const period = periodArg(ctx, ev, kind.value.form, unit.value, kind.value.rest, command);
  return period.ok ? ok({ unit: unit.value, form: kind.value.form, period: period.value }) : period;
}

export interface AreaScope extends Scope {
  s: Summary;
  area: AreaStatus;
  rest: string;
}

/**
 * The unit, report kind, area and period of "/lệnh [loại] <khu> [kỳ] …": the period named right after the area
 * (see leadingPeriod), else the one being collected. Without a kind, the kind is the only one that applies, else
 * the only one in which the named area has a report of that period under way.
 */
export function areaScope(ctx: Ctx, ev: InboundEvent, command: string, args: string, picked?: FormDef): Outcome<AreaScope> {
  const m = ctx.messages;
  const unit = oversightUnit(ctx, ev, command);
  if (!unit.ok) return unit;
  const listed = formsOverseenBy(ctx.forms, unit.value);
  const typed = picked && listed.includes(picked) ? { form: picked, rest: args.trim() } : readKind(ctx.forms, listed, args);
  if (typed.form && !listed.includes(typed.form)) return refused(reply(ev, fill(m.kind_not_for, { name: typed.form.name, unit: unit.value.name })));
  const candidates = (typed.form ? [typed.form] : listed).map((form) => {
    const period = collectedPeriod(ctx, form, unit.value.code);
    const s = summaryOf(ctx, form, unit.value, period);
    // Above a commune the units are not in the summary: their names and codes are read to match the one typed.
    const units = s.listed ? s.areas.map((a) => a.unit) : ctx.world.unitsUnder(unit.value.code, form.applies_to);
    return { form, period, s, match: matchArea(units, typed.rest) };
  });
  if (!typed.rest) return refused(reply(ev, fill(m.area_ref_usage, { command, example: candidates[0]?.s.counts.expected ? "1" : "" })));
  // Each kind reads the period typed after the area its own way; the report under way is looked for in that period.
  const matched = candidates.flatMap((c) => (c.match ? [{ ...c, named: leadingPeriod(ctx, ev, c.form, unit.value, c.match.rest, command, "period_wrong_kind") }] : []));
  const periodOf = (c: (typeof matched)[number]) => (c.named.ok && c.named.value.period) || c.period;
  // A kind whose periods the words cannot name ("tháng 10" for a round form) is not what was meant, if another is.
  const readable = matched.filter((c) => c.named.ok);
  const pool = readable.length > 0 ? readable : matched;
  const underWay = pool.filter((c) => ctx.world.submission({ unit: c.match!.area.code, form: c.form.id, period: periodKey(periodOf(c)) }));
  const chosen = underWay.length === 1 ? underWay[0]! : pool.length === 1 ? pool[0]! : undefined;
  if (!chosen && pool.length > 1) {
    return refused(...chooseKind(ctx, ev, pool.map((c) => ({ form: c.form, period: periodOf(c) })), { command: command.replace(/^\//, ""), args }));
  }
  if (!chosen?.match) return refused(reply(ev, fill(m.area_ref_unknown, { text: clipUnits(typed.rest, 40) })));
  const { form, match, named } = chosen;
  if (!named.ok) return named;
  const period = periodOf(chosen);
  const samePeriod = periodKey(period) === periodKey(chosen.period);
  // The unit's standing comes from the summary that lists it: the root's, or its own parent's above a commune.
  const parent = chosen.s.listed ? undefined : match.area.parentCode ? ctx.world.unit(match.area.parentCode) : undefined;
  const s = parent ? summaryOf(ctx, form, parent, period) : samePeriod ? chosen.s : summaryOf(ctx, form, unit.value, period);
  const area = s.areas.find((a) => a.unit.code === match.area.code);
  if (!area) return refused(reply(ev, fill(m.area_ref_unknown, { text: clipUnits(typed.rest, 40) })));
  return ok({ unit: unit.value, form, period, s, area, rest: named.value.rest });
}
