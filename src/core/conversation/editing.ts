// /sua: change any figure, during the form or after completion. The new value passes the form's hard rules
// and soft warnings (confirmed with the same buttons as in the form). A completed report reopens, the change
// goes into the audit trail (who, when, old, new) and a fresh draft is posted when the report is complete again.
import type { Choice, InboundEvent, Question } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { parseYesNo } from "../numbers/parse.js";
import { formatWithUnit } from "../forms/format-value.js";
import { readField, settledValue } from "../forms/read-answer.js";
import { hardViolation, softWarnings } from "../forms/rules.js";
import { allFields, applicableValues, nextStep } from "../forms/steps.js";
import type { Field, FormDef } from "../forms/schema.js";
import type { OnReport, Person, PersonRef, SessionState, Submission, Value } from "../types.js";
import { type Ctx, communeOf, formById, personOf, reply, reportLabel, sessionKey } from "./context.js";
import { ask, previousAnswers, questionFor, summaryLine } from "./form-flow.js";
import { confirmAsk } from "./questions.js";
import { clipUnits } from "../text.js";

/** The report a correction is about, and the group that gets its new draft. */
export type Target = OnReport;

/** Figures that were answered (skipped ones included, so a skipped figure can still be filled in). */
function editableFields(form: FormDef, values: Record<string, unknown>): string[] {
  return allFields(form)
    .filter(({ field }) => !field.from)
    .map(({ field }) => field.id)
    .filter((id) => id in values);
}

/** Where figures taken from other reports are corrected (they are not figures of this report to change). */
function takenNote(ctx: Ctx, form: FormDef): string[] {
  const taken = allFields(form).filter(({ field }) => field.from);
  if (taken.length === 0) return [];
  const sources = [...new Set(taken.map(({ field }) => field.from!.form))].map((id) => {
    const name = formById(ctx, id)?.name ?? id;
    return name.charAt(0).toLocaleLowerCase("vi") + name.slice(1);
  });
  return [fill(ctx.messages.edit_taken, { source: sources.join(", "), labels: taken.map(({ field }) => field.label).join(", ") })];
}

export type Audit = "edit" | "staff";

type EditValueState = Extract<SessionState, { mode: "edit_value" }>;

/** The question "which figure?" (answered with its number from the list, or the number and the new value). */
function chooseQuestion(target: Target): Question {
  return { kind: "free", topic: "edit", report: target.report, fields: [] };
}

/** The question "the new value of this figure?", with the form's buttons for a yes/no or a choice. */
function valueAsk(ctx: Ctx, target: Target, f: Field): { question: Question; choices?: Choice[][] } {
  const m = ctx.messages;
  const base = { topic: "edit" as const, report: target.report, fields: [f.id] };
  if (f.kind === "yesno") {
    return { question: { ...base, kind: "yesno" }, choices: [[{ label: m.yes_label, data: `v:${f.id}:1` }, { label: m.no_label, data: `v:${f.id}:0` }]] };
  }
  if (f.kind === "choice") {
    return { question: { ...base, kind: "choice" }, choices: f.options.map((o, i) => [{ label: `${i + 1}. ${o.label}`, data: `v:${f.id}:${o.value}` }]) };
  }
  return { question: { ...base, kind: "free" } };
}

function editState(target: Target, field: string, audit: Audit, pending?: EditValueState["pending"]): SessionState {
  return { mode: "edit_value", ...target, field, ...(audit === "staff" ? { audit } : {}), ...(pending ? { pending } : {}) };
}

export function startEdit(ctx: Ctx, ev: InboundEvent, target: Target, args: string, audit: Audit = "edit"): Effect[] {
  const m = ctx.messages;
  const form = formById(ctx, target.report.form)!;
  const values = ctx.world.answers(target.report);
  const fields = editableFields(form, values);
  if (fields.length === 0) return [reply(ev, [m.edit_nothing, ...takenNote(ctx, form)].join("\n"))];
  const match = /^(\d+)\s*(.*)$/s.exec(args.trim());
  if (match) {
    const n = Number(match[1]);
    const id = fields[n - 1];
    if (!id) return [reply(ev, fill(m.edit_unknown, { n }))];
    if (match[2]!.trim()) return applyEdit(ctx, ev, target, id, match[2]!, audit);
    return askValue(ctx, ev, target, id, audit);
  }
  const lines = fields.map((id, i) => {
    const f = allFields(form).find((x) => x.field.id === id)!.field;
    return `${i + 1}. ${f.label}: ${formatWithUnit(f, values[id], m)}`;
  });
  const state: SessionState = { mode: "edit_choose", ...target, fields, ...(audit === "staff" ? { audit } : {}) };
  return [{ type: "set_session", key: sessionKey(ev), state }, ask(ev, [m.edit_choose, ...lines, ...takenNote(ctx, form)].join("\n"), { question: chooseQuestion(target) })];
}

export function chooseEditField(ctx: Ctx, ev: InboundEvent, state: Extract<SessionState, { mode: "edit_choose" }>, text: string): Effect[] {
  const n = Number.parseInt(text.trim(), 10);
  const target: Target = { report: state.report, homeChatId: state.homeChatId };
  const id = Number.isFinite(n) ? state.fields[n - 1] : undefined;
  if (!id) return [ask(ev, fill(ctx.messages.edit_unknown, { n: clipUnits(text.trim(), 20) }), { question: chooseQuestion(target) })];
  const rest = text.trim().replace(/^\d+\s*/, "");
  const audit: Audit = state.audit ?? "edit";
  return rest ? applyEdit(ctx, ev, target, id, rest, audit) : askValue(ctx, ev, target, id, audit);
}

/** Asks for a figure's new value; `lead` says why when it is asked again. */
function askValue(ctx: Ctx, ev: InboundEvent, target: Target, id: string, audit: Audit, lead?: string): Effect[] {
  const form = formById(ctx, target.report.form)!;
  const f = allFields(form).find((x) => x.field.id === id)!.field;
  const values = ctx.world.answers(target.report);
  const text = fill(ctx.messages.edit_ask, { label: f.label, value: formatWithUnit(f, values[id], ctx.messages) });
  const example = f.example && f.kind !== "yesno" && f.kind !== "choice" ? `\n${fill(ctx.messages.example_line, { example: f.example })}` : "";
  return [{ type: "set_session", key: sessionKey(ev), state: editState(target, id, audit) }, ask(ev, [lead, text + example].filter(Boolean).join("\n"), valueAsk(ctx, target, f))];
}

/**
 * A new value for a figure: refused with the rule's message when a hard rule fails (the person retypes it),
 * held for confirmation when a soft warning fires (a jump over the previous period, an implausible ratio),
 * stored otherwise.
 */
export function applyEdit(ctx: Ctx, ev: InboundEvent, target: Target, id: string, text: string, audit: Audit = "edit"): Effect[] {
  const m = ctx.messages;
  const form = formById(ctx, target.report.form)!;
  const f = allFields(form).find((x) => x.field.id === id)!.field;
  const values = ctx.world.answers(target.report);
  const retry = (why: string): Effect[] => [
    { type: "set_session", key: sessionKey(ev), state: editState(target, id, audit) },
    ask(ev, why, { question: { kind: "free", topic: "edit", report: target.report, fields: [id] } }),
  ];
  // A reading the reader is unsure of gets its question; one only outside the usual band is checked below.
  const read = readField(f, text, m, form);
  const value = settledValue(read, id);
  if (value === undefined) return retry(read.ok ? m.bad_together : read.error);
  const merged = applicableValues(form, { ...values, [id]: value });
  const hard = hardViolation(form, merged, [id], m);
  if (hard) return retry(`${hard}\n${m.edit_retry}`);
  const warnings = softWarnings(form, merged, [id], previousAnswers(ctx, target.report), m);
  if (warnings.length > 0 && value !== null) {
    return [
      { type: "set_session", key: sessionKey(ev), state: editState(target, id, audit, { value, warnings }) },
      ask(ev, `${warnings.join("\n")}\n${m.warn_confirm}`, confirmAsk(ctx, target.report, [id], { [id]: value }, "edit")),
    ];
  }
  return storeEdit(ctx, ev, target, id, value, audit);
}

/** An answer while a new value is asked for: the value itself, or "có"/"không" to a warning about it. */
export function answerEditValue(ctx: Ctx, ev: InboundEvent, state: EditValueState, text: string): Effect[] {
  const target: Target = { report: state.report, homeChatId: state.homeChatId };
  const audit: Audit = state.audit ?? "edit";
  if (state.pending) {
    const yes = parseYesNo(text);
    if (yes === true) return storeEdit(ctx, ev, target, state.field, state.pending.value, audit);
    if (yes === false) return askValue(ctx, ev, target, state.field, audit, ctx.messages.warn_reenter_done);
    // Anything else is a corrected value, read and checked afresh.
  }
  return applyEdit(ctx, ev, target, state.field, text, audit);
}

/** Stores a checked value: audited, the report reopened or its draft posted again, the form continued. */
function storeEdit(ctx: Ctx, ev: InboundEvent, target: Target, id: string, value: Value | null, audit: Audit): Effect[] {
  const m = ctx.messages;
  const form = formById(ctx, target.report.form)!;
  const f = allFields(form).find((x) => x.field.id === id)!.field;
  const values = ctx.world.answers(target.report);
  const merged = applicableValues(form, { ...values, [id]: value });
  const person = personOf(ev);
  const area = ctx.world.unit(target.report.unit)?.name ?? target.report.unit;
  const period = reportLabel(ctx, form, target.report.period);
  const done = fill(m.edit_done, { label: f.label, old: formatWithUnit(f, values[id], m), new: formatWithUnit(f, value, m) });
  const effects: Effect[] = [
    { type: "save_answers", report: target.report, values: { [id]: value }, by: person, audit },
    { type: "clear_session", key: sessionKey(ev) },
  ];
  const sub = ctx.world.submission(target.report);
  const next = nextStep(form, merged);
  const change = sub && sub.status !== "in_progress" ? changeNotice(ctx, ev, target, sub) : undefined;
  const notice = change?.here;
  effects.push(...(change?.elsewhere ?? []));
  if (sub && sub.status !== "in_progress" && !next) {
    // Still complete after the change: a new draft version goes to the group with the change in its caption.
    // The leader of record stays its author (and signer); they and the staff are told when someone else changed it.
    effects.push(
      { type: "submission", report: target.report, status: "completed", by: person, keepAuthor: true },
      {
        type: "reply",
        out: {
          platform: ev.platform,
          chatId: target.homeChatId,
          // Threaded under the person's message, or under the confirmation whose button they pressed.
          replyTo: target.homeChatId === ev.chat.id ? (ev.body.kind === "choice" ? ev.body.messageId : ev.messageId) : undefined,
          text: [done, notice?.text, fill(m.completed, { area, period, summary: summaryLine(ctx, form, merged) })].filter(Boolean).join("\n"),
          document: { kind: "area_report", report: target.report, version: sub.version + 1 },
          ...(notice ? { mentions: notice.mentions } : {}),
          purpose: "report",
        },
      },
    );
    if (target.homeChatId !== ev.chat.id) effects.push(reply(ev, done));
    return effects;
  }
  if (!next) return [...effects, reply(ev, done)];
  // The change opened new questions (or the form was not finished): continue the form.
  const q = questionFor(ctx, form, next, merged, target.report);
  const reopened = sub && sub.status !== "in_progress" ? `\n${fill(m.edit_reopened, { period, area })}` : "";
  if (reopened) effects.push({ type: "submission", report: target.report, status: "reopened", by: person });
  if (notice) {
    effects.push({ type: "reply", out: { platform: ev.platform, chatId: target.homeChatId, text: notice.text, mentions: notice.mentions, purpose: "info" } });
  }
  effects.push({ type: "set_session", key: sessionKey(ev), state: { mode: "form", report: target.report, homeChatId: target.homeChatId } });
  effects.push(ask(ev, `${done}${reopened}\n${q.text}`, q));
  return effects;
}

/**
 * Who must hear of a change to a submitted report: its author (the leader of record) when someone else changes
 * it, and the commune's staff when it had been accepted (the acceptance no longer holds). Those on this platform
 * are named in the message here; those on another platform are told in the commune's group there.
 */
function changeNotice(ctx: Ctx, ev: InboundEvent, target: Target, sub: Submission): { here?: { text: string; mentions: Mention[] }; elsewhere: Effect[] } {
  const m = ctx.messages;
  const review = ctx.world.review(target.report);
  const accepted = review?.status === "accepted" && (!sub.completedAt || sub.completedAt <= review.at);
  const editor = (p: PersonRef) => p.platform === ev.platform && p.userId === ev.from.id;
  const author = sub.completedBy && !editor(sub.completedBy) ? ctx.world.person(sub.completedBy) : undefined;
  const commune = communeOf(ctx, target.report.unit);
  const staff = accepted && commune ? ctx.world.holders(commune.code, "commune_staff").filter((p) => !editor(p)) : [];
  const told = [...(author ? [author] : []), ...staff].filter((p, i, all) => all.findIndex((q) => q.platform === p.platform && q.userId === p.userId) === i);
  const area = ctx.world.unit(target.report.unit)?.name ?? target.report.unit;
  const textFor = (people: Person[]) =>
    [
      people.length > 0 ? fill(m.edit_notice, { names: people.map((p) => p.name).join(", "), editor: ev.from.name, period: reportLabel(ctx, formById(ctx, target.report.form)!, target.report.period), area }) : "",
      accepted ? m.edit_review_reopened : "",
    ]
      .filter(Boolean)
      .join("\n");
  const mentionsOf = (people: Person[]) => people.map((p) => ({ userId: p.userId, name: p.name }));
  const local = told.filter((p) => p.platform === ev.platform);
  const here = local.length > 0 || accepted ? { text: textFor(local), mentions: mentionsOf(local) } : undefined;
  const elsewhere: Effect[] = [];
  for (const platform of new Set(told.filter((p) => p.platform !== ev.platform).map((p) => p.platform))) {
    const chatId = commune ? ctx.world.chatsOf(platform, commune.code)[0] : undefined;
    const people = told.filter((p) => p.platform === platform);
    if (chatId) elsewhere.push({ type: "reply", out: { platform, chatId, text: textFor(people), mentions: mentionsOf(people), purpose: "info" } });
  }
  return { here, elsewhere };
}

type Mention = { userId: string; name: string };
