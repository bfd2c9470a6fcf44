// Which report kinds are open, and for which period: the one answer /baocao, /tiendo, reminders, the web view
// and the charts share. A form is filled by the units of its level (`applies_to`); the period it collects is the
// one the commune's staff opened (/moky), else the clock's; and that period is offered only inside the form's
// collection window (`collect`), unless staff opened it by hand.
import { clockPeriod, collects, dueDate, offeredFrom } from "./forms/form-periods.js";
import type { FormDef, ReportingLevel } from "./forms/schema.js";
import { localDate } from "./local-time.js";
import { periodOfKey } from "./period-of-key.js";
import { periodKey, type Period } from "./periods.js";
import { currentRound } from "./rounds.js";
import type { ReportKey } from "./report-key.js";
import type { Unit, UnitLevel } from "./types.js";
import type { World } from "./world.js";

/** What the answers need: the stored facts, the forms and the time. */
export interface OpenContext {
  world: World;
  forms: readonly FormDef[];
  now: Date;
}

/** A report kind being collected, and its period. */
export interface OpenForm {
  form: FormDef;
  period: Period;
  /** Local "YYYY-MM-DD". */
  due: string;
}

const RANK: Record<UnitLevel, number> = { area: 0, commune: 1, district: 2, province: 3 };

/** The level of the units that fill a form. */
export function reportingLevel(form: FormDef): ReportingLevel {
  return form.applies_to[0]!;
}

/** Whether units of this level fill the form. */
export function fills(form: FormDef, level: UnitLevel): boolean {
  return (form.applies_to as readonly UnitLevel[]).includes(level);
}

/** The forms a unit fills, in the forms' order (their numbers in choices count in this list). */
export function formsFilledBy(forms: readonly FormDef[], unit: Unit): FormDef[] {
  return forms.filter((f) => fills(f, unit.level));
}

/**
 * The forms staff of a unit oversee: those filled at or below its level (a commune sees its areas' reports
 * and its own). An area oversees none. Their numbers in commands count in this list.
 */
export function formsOverseenBy(forms: readonly FormDef[], unit: Unit): FormDef[] {
  if (unit.level === "area") return [];
  return forms.filter((f) => RANK[reportingLevel(f)] <= RANK[unit.level]);
}

/** The unit whose staff choose a form's period for `unitCode`: its commune, or the unit itself above communes. */
function periodOwner(c: OpenContext, unitCode: string): string {
  return c.world.lineage(unitCode).find((u) => u.level === "commune")?.code ?? unitCode;
}

/** The period staff opened by hand for the unit's commune, if any (rounds are opened as rounds). */
function chosenPeriod(c: OpenContext, form: FormDef, owner: string): Period | undefined {
  if (form.period.kind === "round") return undefined;
  const key = c.world.openPeriodOverride(owner, form.id);
  return key ? periodOfKey(c.world, form, key) : undefined;
}

/** The collected period of a form for a unit and whether it is offered now (see the two functions below). */
function collection(c: OpenContext, form: FormDef, unitCode: string, owner: () => string): { period: Period; offered: boolean } {
  if (form.period.kind === "round") {
    const round = currentRound(c.world, form, unitCode, c.now);
    return { period: round.period, offered: round.open };
  }
  const chosen = chosenPeriod(c, form, owner());
  if (chosen) return { period: chosen, offered: true };
  const period = clockPeriod(form, c.now);
  if (!collects(form, period)) return { period, offered: false };
  const from = offeredFrom(form, period);
  return { period, offered: !from || localDate(c.now) >= from };
}

/** The commune that owns a unit's periods, read once however many forms ask. */
function ownerOnce(c: OpenContext, unitCode: string): () => string {
  let owner: string | undefined;
  return () => (owner ??= periodOwner(c, unitCode));
}

/**
 * The period of `form` being collected for a unit: the one its commune's staff opened, else the clock's; for a
 * round form, the round open for it (else its latest round, else "no round yet").
 */
export function collectedPeriod(c: OpenContext, form: FormDef, unitCode: string): Period {
  return collection(c, form, unitCode, ownerOnce(c, unitCode)).period;
}

/**
 * Whether the form's collected period is offered now: always when staff opened it by hand or the form has no
 * collection window; otherwise from `collect.days_before_deadline` days before the deadline (a campaign from its
 * first day); a round while it is open.
 */
export function isOffered(c: OpenContext, form: FormDef, unitCode: string): boolean {
  return collection(c, form, unitCode, ownerOnce(c, unitCode)).offered;
}

/** The offered reports among `forms` for a unit, each with its period and due date. */
function openAmong(c: OpenContext, forms: readonly FormDef[], unitCode: string): OpenForm[] {
  const owner = ownerOnce(c, unitCode);
  const out: OpenForm[] = [];
  for (const form of forms) {
    const { period, offered } = collection(c, form, unitCode, owner);
    if (offered) out.push({ form, period, due: dueDate(form, period) });
  }
  return out;
}

/** The reports a unit is asked to fill now: each form it fills whose period is offered, with that period. */
export function openFormsFor(c: OpenContext, unit: Unit): OpenForm[] {
  return openAmong(c, formsFilledBy(c.forms, unit), unit.code);
}

/** The report kinds being collected below (or at) an overseeing unit now, with their periods. */
export function openFormsOver(c: OpenContext, unit: Unit): OpenForm[] {
  return openAmong(c, formsOverseenBy(c.forms, unit), unit.code);
}

/** The key of a unit's report of an open form. */
export function openReportKey(unit: Unit, open: OpenForm): ReportKey {
  return { unit: unit.code, form: open.form.id, period: periodKey(open.period) };
}
