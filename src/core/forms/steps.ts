// Where a person is in a form is derived from the answers alone, never stored: resuming after days, after a
// restart, from another chat or by another registered person always lands on the same next question.
import type { AnswerMap, Value } from "../types.js";
import type { Condition, Field, FormDef, Section } from "./schema.js";

export type Step =
  | { kind: "together"; section: Section; sectionIndex: number; fields: readonly Field[] }
  | { kind: "field"; section: Section; sectionIndex: number; field: Field };

/** A condition with only `field` means "answered with something other than no/zero/skip". */
export function holds(cond: Condition | undefined, values: AnswerMap): boolean {
  if (!cond) return true;
  const v = values[cond.field];
  if (v === undefined || v === null) return false;
  if (cond.gt !== undefined) return typeof v === "number" && v > cond.gt;
  if (cond.equals !== undefined) return v === cond.equals;
  return v !== false && v !== 0 && v !== "";
}

export function fieldApplies(section: Section, field: Field, values: AnswerMap): boolean {
  return holds(section.when, values) && holds(field.when, values);
}

/** Built once per form: totals and their rebuild ask for it for every unit and period. */
const fieldsOfForm = new WeakMap<FormDef, ReadonlyArray<{ section: Section; sectionIndex: number; field: Field }>>();

export function allFields(form: FormDef): ReadonlyArray<{ section: Section; sectionIndex: number; field: Field }> {
  let got = fieldsOfForm.get(form);
  if (!got) {
    got = form.sections.flatMap((section, sectionIndex) => section.fields.map((field) => ({ section, sectionIndex, field })));
    fieldsOfForm.set(form, got);
  }
  return got;
}

export function findField(form: FormDef, id: string): { section: Section; field: Field } | undefined {
  return allFields(form).find((x) => x.field.id === id);
}

/** A section's asked steps as the form lays them out: a together group where its first field stands, lone fields. */
type Slot = { kind: "together"; fields: readonly Field[] } | { kind: "field"; field: Field };

/** Worked out once per form: where a person is gets asked several times on every answer. */
const layoutOfForm = new WeakMap<FormDef, ReadonlyArray<{ section: Section; sectionIndex: number; slots: readonly Slot[] }>>();

function layoutOf(form: FormDef): ReadonlyArray<{ section: Section; sectionIndex: number; slots: readonly Slot[] }> {
  let got = layoutOfForm.get(form);
  if (got) return got;
  got = form.sections.map((section, sectionIndex) => {
    const together = section.fields.filter((f) => section.together.includes(f.id));
    const slots: Slot[] = [];
    let togetherPlaced = false;
    for (const field of section.fields) {
      if (section.together.includes(field.id)) {
        // The group is one step, placed where its first field stands; fields inside it that turn out not to
        // apply (no sessions, so no attendees) are dropped when the answer is read.
        if (!togetherPlaced && together.length > 1) {
          slots.push({ kind: "together", fields: together });
          togetherPlaced = true;
          continue;
        }
        if (together.length > 1) continue;
      }
      // A figure taken from another form's reports is never asked.
      if (field.from) continue;
      slots.push({ kind: "field", field });
    }
    return { section, sectionIndex, slots };
  });
  layoutOfForm.set(form, got);
  return got;
}

/** Every step of the form for these answers, in order: answered ones included. */
export function stepsOf(form: FormDef, values: AnswerMap): Step[] {
  const steps: Step[] = [];
  for (const { section, sectionIndex, slots } of layoutOf(form)) {
    if (!holds(section.when, values)) continue;
    for (const slot of slots) {
      // A together step shares its slot's fields: readers key what they work out per step on that array.
      if (slot.kind === "together") steps.push({ kind: "together", section, sectionIndex, fields: slot.fields });
      else if (holds(slot.field.when, values)) steps.push({ kind: "field", section, sectionIndex, field: slot.field });
    }
  }
  return steps;
}

function applicable(step: Step, values: AnswerMap): Field[] {
  const fields: readonly Field[] = step.kind === "together" ? step.fields : [step.field];
  return fields.filter((f) => fieldApplies(step.section, f, values));
}

function isDone(step: Step, values: AnswerMap): boolean {
  return applicable(step, values).every((f) => f.id in values);
}

/**
 * The next thing to ask. A together step that is partly answered (the person gave one of two figures)
 * continues field by field, so nobody is asked again for what they already said. Asked several times for
 * every answer: it walks the form's layout without building its steps.
 */
export function nextStep(form: FormDef, values: AnswerMap): Step | undefined {
  for (const { section, sectionIndex, slots } of layoutOf(form)) {
    if (!holds(section.when, values)) continue;
    for (const slot of slots) {
      if (slot.kind === "field") {
        const field = slot.field;
        if (holds(field.when, values) && !(field.id in values)) return { kind: "field", section, sectionIndex, field };
        continue;
      }
      // The section applies: a field of the group applies when its own condition holds.
      let answered = false;
      let missing: Field | undefined;
      for (const f of slot.fields) {
        if (!holds(f.when, values)) continue;
        if (f.id in values) answered = true;
        else missing ??= f;
      }
      if (!missing) continue;
      if (answered) return { kind: "field", section, sectionIndex, field: missing };
      return { kind: "together", section, sectionIndex, fields: slot.fields };
    }
  }
  return undefined;
}

/** The step before the current one, for /lai; with a partly answered group, that group itself. */
export function previousStep(form: FormDef, values: AnswerMap): Step | undefined {
  const steps = stepsOf(form, values);
  const idx = steps.findIndex((s) => !isDone(s, values));
  if (idx >= 0) {
    const current = steps[idx]!;
    if (current.kind === "together" && applicable(current, values).some((f) => f.id in values)) return current;
  }
  const before = idx < 0 ? steps : steps.slice(0, idx);
  for (let i = before.length - 1; i >= 0; i--) {
    if (applicable(before[i]!, values).some((f) => f.id in values)) return before[i];
  }
  return undefined;
}

export function fieldsOfStep(step: Step): readonly Field[] {
  return step.kind === "together" ? step.fields : [step.field];
}

/** Is this step the first one asked in its section (so the section title is shown)? */
export function opensSection(step: Step, values: AnswerMap): boolean {
  return step.section.fields.every((f) => f.from || !(f.id in values));
}

/** Keeps only the answers that apply given the others (answers to skipped questions are not kept). */
export function applicableValues(form: FormDef, values: AnswerMap): AnswerMap {
  const out: AnswerMap = {};
  for (const { section, field } of allFields(form)) {
    if (field.id in values && fieldApplies(section, field, values)) out[field.id] = values[field.id]!;
  }
  return out;
}

/** Derived figures (ratios, differences), recomputed from answers every time. */
export function derivedValues(form: FormDef, values: AnswerMap): Record<string, number> {
  const out: Record<string, number> = {};
  const num = (id: string): number | undefined => {
    const v = values[id] ?? out[id];
    return typeof v === "number" ? v : undefined;
  };
  for (const section of form.sections) {
    for (const d of section.derived) {
      if (d.ratio) {
        const [n, den] = d.ratio.map(num);
        if (n !== undefined && den !== undefined && den > 0) out[d.id] = (100 * n) / den;
      } else if (d.difference) {
        const parts = d.difference.map(num);
        if (parts[0] !== undefined) out[d.id] = parts.slice(1).reduce<number>((acc, p) => acc - (p ?? 0), parts[0]);
      }
    }
  }
  return out;
}

export function isComplete(form: FormDef, values: AnswerMap): boolean {
  return nextStep(form, values) === undefined;
}

export type { Value };
