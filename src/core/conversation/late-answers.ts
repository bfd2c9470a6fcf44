// Answers that belong to a question other than the one the session is waiting for: a reply to an older
// question, a tap on an old button, the second answer to a question sent twice. Such an answer is applied to
// its own question when that is still part of the open report (with an echo saying which figure changed) or
// set aside politely; either way the current question is asked again, and nothing lands in another field.
import type { InboundEvent, Question } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { echoOf, formatWithUnit } from "../forms/format-value.js";
import { readStep } from "../forms/read-answer.js";
import { hardViolation, softWarnings } from "../forms/rules.js";
import type { FormDef } from "../forms/schema.js";
import { allFields, applicableValues, fieldApplies, fieldsOfStep, nextStep, type Step } from "../forms/steps.js";
import type { SessionState, Value } from "../types.js";
import { type Ctx, formById, reply } from "./context.js";
import { ask, commit, previousAnswers, questionFor, type FormSession } from "./form-flow.js";
import { type Answered, confirmAsk } from "./questions.js";
import { sameReport } from "../report-key.js";

/** The step that asked exactly these fields (a whole-section question, or one field). */
function stepOf(form: FormDef, fields: string[]): Step | undefined {
  const all = allFields(form);
  const found = fields.map((id) => all.find((x) => x.field.id === id));
  if (found.length === 0 || found.some((x) => !x) || new Set(found.map((x) => x!.sectionIndex)).size !== 1) return undefined;
  const { section, sectionIndex } = found[0]!;
  if (fields.length === 1) return { kind: "field", section, sectionIndex, field: found[0]!.field };
  return { kind: "together", section, sectionIndex, fields: section.fields.filter((f) => fields.includes(f.id)) };
}

/** How a person recognises the question: the section's title for a whole-section one, else the figure's label. */
function questionName(step: Step): string {
  return step.kind === "together" ? step.section.title : step.field.label;
}

/** The reply to a late answer, followed by the question the session is waiting for (one message). */
function withCurrentQuestion(ctx: Ctx, ev: InboundEvent, session: SessionState, lead: string): Effect[] {
  if (session.mode !== "form") return [reply(ev, lead)];
  const form = formById(ctx, session.report.form);
  if (!form) return [reply(ev, lead)];
  const report = session.report;
  const values = ctx.world.answers(session.report);
  const step = nextStep(form, values);
  if (session.pending) {
    const fields = session.pending.fields ?? (step ? fieldsOfStep(step).map((f) => f.id) : Object.keys(session.pending.values));
    return [ask(ev, `${lead}\n${session.pending.warnings.join("\n")}\n${ctx.messages.warn_confirm}`, confirmAsk(ctx, report, fields, session.pending.values))];
  }
  if (!step) return [reply(ev, lead)];
  const q = questionFor(ctx, form, step, values, report);
  return [ask(ev, `${lead}\n${ctx.messages.late_current}\n${q.text}`, q)];
}

/**
 * An answer (`text`, or the typed equivalent of a pressed button) that belongs to `answered` rather than to
 * the question the session waits for.
 */
export function lateAnswer(ctx: Ctx, ev: InboundEvent, session: SessionState, answered: Exclude<Answered, { kind: "none" }>, text: string): Effect[] {
  const m = ctx.messages;
  // Figures waiting for confirmation are settled first: one question at a time.
  if (session.mode === "form" && session.pending) return withCurrentQuestion(ctx, ev, session, m.warn_pending);
  const q: Question = answered.question;
  // An old confirmation was settled when it was answered; a question of another report or mode has passed.
  const sameForm = q.topic === "form" && session.mode === "form" && sameReport(q.report, session.report);
  if (q.kind === "confirm" || !sameForm || !q.fields?.length) return withCurrentQuestion(ctx, ev, session, m.late_passed);
  return lateFormAnswer(ctx, ev, session as FormSession, q.fields, text);
}

/** A late answer to an earlier question of the open report: read against that question and applied to it. */
function lateFormAnswer(ctx: Ctx, ev: InboundEvent, session: FormSession, fields: string[], text: string): Effect[] {
  const m = ctx.messages;
  const form = formById(ctx, session.report.form)!;
  const step = stepOf(form, fields);
  if (!step) return withCurrentQuestion(ctx, ev, session, m.late_passed);
  const name = questionName(step);
  const values = ctx.world.answers(session.report);
  if (!fieldsOfStep(step).some((f) => fieldApplies(step.section, f, values))) {
    return withCurrentQuestion(ctx, ev, session, fill(m.late_not_applicable, { question: name }));
  }
  const read = readStep(step, text, m);
  if (!read.ok) return withCurrentQuestion(ctx, ev, session, fill(m.late_unreadable, { question: name }));

  const merged = applicableValues(form, { ...values, ...read.values });
  const given: Record<string, Value | null> = {};
  for (const f of fieldsOfStep(step)) if (f.id in merged && f.id in read.values) given[f.id] = merged[f.id]!;
  const changed = Object.keys(given).filter((id) => !(id in values) || values[id] !== given[id]);
  const labelOf = (id: string) => allFields(form).find((x) => x.field.id === id)!.field;
  if (changed.length === 0) {
    const echo = Object.keys(given).map((id) => echoOf(labelOf(id), given[id], m)).join(", ");
    return withCurrentQuestion(ctx, ev, session, fill(m.late_same, { question: name, values: echo }));
  }
  const hard = hardViolation(form, merged, changed, m);
  if (hard) return withCurrentQuestion(ctx, ev, session, `${hard}\n${m.late_kept}`);

  const changes = Object.fromEntries(changed.map((id) => [id, given[id]!]));
  const warnings = softWarnings(form, merged, changed, previousAnswers(ctx, session.report), m);
  if (warnings.length > 0) {
    const pending = Object.fromEntries(Object.entries(changes).filter((e): e is [string, Value] => e[1] !== null));
    return [
      { type: "set_session", key: { platform: ev.platform, chatId: ev.chat.id, userId: ev.from.id }, state: { ...session, pending: { values: pending, warnings, fields } } },
      ask(ev, `${fill(m.late_for, { question: name })}\n${warnings.join("\n")}\n${m.warn_confirm}`, confirmAsk(ctx, session.report, fields, pending)),
    ];
  }
  const items = changed.map((id) => {
    const f = labelOf(id);
    return fill(m.late_change, { label: f.label, old: id in values ? formatWithUnit(f, values[id], m) : m.value_unset, new: formatWithUnit(f, given[id], m) });
  });
  const submitted = ctx.world.submission(session.report);
  const audit = submitted && submitted.status !== "in_progress" ? "edit" : undefined;
  return commit(ctx, ev, session, form, values, changes, undefined, { ack: fill(m.late_applied, { question: name, changes: items.join("; ") }), audit });
}
