// Filling the form: asking, reading answers, warnings, /lai, /bo, /huy, /xem and completion.
// One bot message per turn: the acknowledgement and the next question travel together.
import { periodOfKey } from "../period-of-key.js";
import type { InboundEvent, Outgoing } from "../events.js";
import type { ReportKey } from "../report-key.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { parseYesNo, readSizeWord } from "../numbers/parse.js";
import { echoOf, formatWithUnit } from "../forms/format-value.js";
import { readField, readStep, type ReadAsk, type ReadResult } from "../forms/read-answer.js";
import { readTogether } from "../reading/read-step.js";
import { figureVars, hardViolation, softWarnings } from "../forms/rules.js";
import type { Field, FormDef } from "../forms/schema.js";
import {
  allFields,
  applicableValues,
  derivedValues,
  fieldsOfStep,
  findField,
  nextStep,
  opensSection,
  previousStep,
  type Step,
} from "../forms/steps.js";
import { periodKey, periodLabel, previousPeriod, type Period } from "../periods.js";
import { memberPeriods } from "../forms/form-periods.js";
import type { AnswerMap, SessionState, Value } from "../types.js";
import { type Ctx, formById, personOf, reply, reportLabel, sessionKey } from "./context.js";
import { dueDate } from "../forms/form-periods.js";
import { formatShortDate } from "../local-time.js";
import { authorStillLeads } from "./leaving.js";
import { askedValues } from "../forms/taken-figures.js";
import { takenIntro } from "./taken-intro.js";
import { type Ask, confirmAsk, stepQuestion } from "./questions.js";

export type FormSession = Extract<SessionState, { mode: "form" }>;

const MAX_INPUT = 5000;

/**
 * The question for a step of a report: section title when it opens a section, the question and an example;
 * the way back goes in the question's footer, after the ways to answer that each platform adds.
 */
export function questionFor(ctx: Ctx, form: FormDef, step: Step, values: AnswerMap, report: ReportKey): Ask & { text: string } {
  const m = ctx.messages;
  const lines: string[] = [];
  if (opensSection(step, values)) {
    // Sections of figures taken from other reports are never asked: the count is of the sections asked.
    const asked = form.sections.filter((sec) => sec.fields.some((f) => !f.from));
    lines.push(fill(m.section_header, { n: asked.indexOf(step.section) + 1, total: asked.length, title: step.section.title }));
  }
  let choices: Ask["choices"];
  let optional = false;
  if (step.kind === "together") {
    lines.push(step.section.prompt!);
    if (step.section.prompt_example) lines.push(fill(m.example_line, { example: step.section.prompt_example }));
  } else {
    const f = step.field;
    optional = f.optional;
    lines.push(f.question ?? f.label);
    if (f.hint) lines.push(f.hint);
    if (f.kind === "yesno") {
      choices = [[{ label: m.yes_label, data: `v:${f.id}:1` }, { label: m.no_label, data: `v:${f.id}:0` }]];
    } else if (f.kind === "choice") {
      choices = f.options.map((o, i) => [{ label: `${i + 1}. ${o.label}`, data: `v:${f.id}:${o.value}` }]);
    } else if (f.example) {
      lines.push(fill(m.example_line, { example: f.example }));
    }
  }
  lines.push(...offerLast(ctx, form, fieldsOfStep(step), report));
  return { text: lines.join("\n"), choices, question: stepQuestion(step, report, optional ? m.controls_optional : m.controls_line) };
}

/**
 * The unit's last figures of slow-changing fields (`offer_last`), offered under their question: from the other
 * form named (its latest submitted report inside this period), else this form's previous report.
 */
function offerLast(ctx: Ctx, form: FormDef, fields: readonly Field[], report: ReportKey): string[] {
  const offered = fields.filter((f) => f.offer_last);
  if (offered.length === 0) return [];
  const period = periodOfKey(ctx.world, form, report.period);
  if (!period) return [];
  const submitted = (k: ReportKey) => ctx.world.submission(k)?.status === "completed";
  const candidates: Array<{ period: Period; values: AnswerMap; field: (f: Field) => string }> = [];
  const other = offered.map((f) => f.offer_last).find((o): o is Exclude<typeof o, true | undefined> => typeof o === "object");
  const otherForm = other && formById(ctx, other.form);
  if (otherForm) {
    for (const p of [...(memberPeriods(otherForm, period) ?? [])].reverse()) {
      const key = { unit: report.unit, form: otherForm.id, period: periodKey(p) };
      if (submitted(key)) {
        candidates.push({ period: p, values: ctx.world.answers(key), field: (f) => (typeof f.offer_last === "object" ? f.offer_last.field : f.id) });
        break;
      }
    }
  }
  const prevKey = { ...report, period: periodKey(previousPeriod(period)) };
  if (submitted(prevKey)) candidates.push({ period: previousPeriod(period), values: ctx.world.answers(prevKey), field: (f) => f.id });
  for (const c of candidates) {
    const known = offered.filter((f) => c.values[c.field(f)] !== undefined && c.values[c.field(f)] !== null);
    if (known.length === 0) continue;
    const figures = known.map((f) => formatWithUnit(f, c.values[c.field(f)], ctx.messages)).join(", ");
    return [fill(ctx.messages.offer_last, { period: periodLabel(c.period), figures })];
  }
  return [];
}

/** A step asked again, or about part of it, with a typed answer (the text says what is expected). */
function typedAsk(step: Step, report: ReportKey): Ask {
  return { question: { ...stepQuestion(step, report), kind: "free" } };
}

/** Sends a question: as a reply that opens the reply box for that person only (works with privacy mode on). */
export function ask(ev: InboundEvent, text: string, asked: Ask, extra: Partial<Outgoing> = {}): Effect {
  const viaButton = ev.body.kind === "choice";
  const { choices, question } = asked;
  return reply(ev, text, {
    choices,
    question,
    forceReply: ev.chat.type === "group" && !choices,
    purpose: "question",
    // A button press has no message to reply to: name the person instead, so the question is still theirs.
    ...(viaButton ? { replyTo: undefined, mention: { userId: ev.from.id, name: ev.from.name } } : {}),
    ...extra,
  });
}

/** The same report's answers of the period before, when there are any (for the jump warnings). */
export function previousAnswers(ctx: Ctx, report: ReportKey): AnswerMap | undefined {
  const form = formById(ctx, report.form);
  const p = form ? periodOfKey(ctx.world, form, report.period) : undefined;
  if (!p) return undefined;
  const prev = ctx.world.answers({ ...report, period: periodKey(previousPeriod(p)) });
  return Object.keys(prev).length > 0 ? prev : undefined;
}

/** /baocao (or a private-chat continuation): greets and asks the next question. */
export function startForm(ctx: Ctx, ev: InboundEvent, session: FormSession, opening: string, extra: Partial<Outgoing> = {}): Effect[] {
  const form = formById(ctx, session.report.form)!;
  const values = ctx.world.answers(session.report);
  const effects: Effect[] = [{ type: "set_session", key: sessionKey(ev), state: session }];
  const step = nextStep(form, values);
  if (!step) {
    const area = ctx.world.unit(session.report.unit)?.name ?? session.report.unit;
    return [{ type: "clear_session", key: sessionKey(ev) }, reply(ev, fill(ctx.messages.already_completed, { period: reportLabel(ctx, form, session.report.period), area }))];
  }
  const q = questionFor(ctx, form, step, values, session.report);
  effects.push(ask(ev, `${opening}\n${q.text}`, q, extra));
  return effects;
}

export function openingLine(ctx: Ctx, ev: InboundEvent, session: FormSession, form: FormDef): string {
  const values = ctx.world.answers(session.report);
  const area = ctx.world.unit(session.report.unit)?.name ?? session.report.unit;
  const period = periodOfKey(ctx.world, form, session.report.period)!;
  // Figures taken from other reports are not answers: a report with only those is just beginning.
  const starting = Object.keys(askedValues(form, values)).length === 0;
  const opening = fill(ctx.messages[starting ? "form_start" : "form_resume"], { name: ev.from.name, period: reportLabel(ctx, form, period), area, deadline: formatShortDate(dueDate(form, period)) });
  return starting ? [opening, ...takenIntro(ctx, form, session.report, values, area, period)].join("\n") : opening;
}

/** A text answer (or a pressed button turned into text) for the person's form session. */
export function answerForm(ctx: Ctx, ev: InboundEvent, session: FormSession, text: string, quietOnError: boolean): Effect[] {
  const m = ctx.messages;
  const form = formById(ctx, session.report.form);
  if (!form) return [{ type: "clear_session", key: sessionKey(ev) }];
  if (text.length > MAX_INPUT) return quietOnError ? [] : [reply(ev, m.too_long_message)];
  const values = ctx.world.answers(session.report);
  const step = nextStep(form, values);
  if (!step) return [{ type: "clear_session", key: sessionKey(ev) }];

  const pending = session.pending;
  if (pending) {
    const rest: FormSession = { ...session, pending: undefined };
    // The bot asked for some fields of the answer ("… là 20 nghìn hay 20 triệu ạ?", "mấy buổi?"): the reply
    // is read as those, together with the figures it holds.
    if (pending.reading?.fields) {
      const out = answerAsked(ctx, ev, rest, form, values, step, pending.reading, text);
      if (out) return out;
    }
    const yes = parseYesNo(text);
    if (yes === true && !pending.reading?.fields) {
      // A confirmed reading still passes the rules and warnings; a confirmed warning is stored as it is.
      if (pending.reading) return checkAndCommit(ctx, ev, rest, form, values, step, { ok: true, values: pending.values }, false);
      return commit(ctx, ev, session, form, values, pending.values);
    }
    if (yes === false) {
      const q = questionFor(ctx, form, step, values, session.report);
      return [{ type: "set_session", key: sessionKey(ev), state: rest }, ask(ev, `${m.warn_reenter_done}\n${q.text}`, q)];
    }
    // Anything else is the answer typed again, read afresh.
    const out = checkAndCommit(ctx, ev, rest, form, values, step, readStep(step, text, m, form), quietOnError);
    if (out.length === 0 || out.some((e) => e.type === "set_session" || e.type === "clear_session")) return out;
    return [{ type: "set_session", key: sessionKey(ev), state: rest }, ...out];
  }
  return checkAndCommit(ctx, ev, session, form, values, step, readStep(step, text, m, form), quietOnError);
}

/** The reply to the bot's question about part of a reading, or undefined when it answers something else. */
function answerAsked(
  ctx: Ctx,
  ev: InboundEvent,
  session: FormSession,
  form: FormDef,
  values: AnswerMap,
  step: Step,
  asked: NonNullable<NonNullable<FormSession["pending"]>["reading"]>,
  text: string,
): Effect[] | undefined {
  const m = ctx.messages;
  const fields = fieldsOfStep(step).filter((f) => asked.fields!.includes(f.id));
  if (fields.length === 0) return undefined;
  // "triệu" alone answers "20 nghìn hay 20 triệu ạ?".
  const size = asked.bare ? readSizeWord(text) : undefined;
  const reply = (f: (typeof fields)[number]) =>
    size !== undefined && asked.bare?.[f.id] !== undefined
      ? readField(f, `${asked.bare[f.id]! * 10 ** size}đ`, m, form)
      : readField(f, text, m, form);
  let read: ReadResult = fields.length === 1 ? reply(fields[0]!) : size !== undefined ? combine(fields.map(reply)) : readTogether(step.section, fields, text, m, form);
  if (!read.ok && !read.ask) {
    // Not an answer to the part asked: perhaps the whole answer typed again.
    const again = readStep(step, text, m, form);
    if (again.ok || again.ask) return checkAndCommit(ctx, ev, session, form, values, step, again, false);
    return [ask(ev, read.error, typedAsk(step, session.report))];
  }
  read = withKept(read, asked.kept);
  return checkAndCommit(ctx, ev, session, form, values, step, read, false);
}

/** The readings of several fields as one: all read, or the first question. */
function combine(reads: ReadResult[]): ReadResult {
  const failed = reads.find((r) => !r.ok);
  if (failed) return failed;
  return { ok: true, values: Object.assign({}, ...reads.map((r) => (r.ok ? r.values : {}))) };
}

/** Adds the figures held while asking to a reading of the reply. */
function withKept(read: ReadResult, kept: Record<string, Value>): ReadResult {
  if (read.ok) return { ...read, values: { ...kept, ...read.values } };
  if (!read.ask) return read;
  const ask: ReadAsk = { ...read.ask, kept: { ...kept, ...read.ask.kept } };
  if (read.ask.confirm) ask.confirm = { ...kept, ...read.ask.confirm };
  return { ...read, ask };
}

/**
 * Acts on a reading of the answer to `step`: asks about it when the reader is not sure, refuses it with the
 * reason, or passes the figures through the hard rules and soft warnings and stores them.
 */
function checkAndCommit(
  ctx: Ctx,
  ev: InboundEvent,
  session: FormSession,
  form: FormDef,
  values: AnswerMap,
  step: Step,
  read: ReadResult,
  quietOnError: boolean,
): Effect[] {
  const m = ctx.messages;
  if (!read.ok) {
    if (quietOnError) return [];
    if (read.ask) return askAboutReading(ctx, ev, session, step, read.error, read.ask);
    return [ask(ev, read.error, typedAsk(step, session.report))];
  }
  // Keep only the figures that apply given the answer itself (no sessions, so no attendees); a figure held
  // from an earlier message that no longer applies ("0 buổi" after "350 người") is not dropped silently.
  let merged = applicableValues(form, { ...values, ...read.values });
  const given: Record<string, Value | null> = {};
  for (const f of fieldsOfStep(step)) if (f.id in merged && f.id in read.values) given[f.id] = merged[f.id]!;
  const dropped = fieldsOfStep(step).filter((f) => f.id in read.values && !(f.id in merged) && read.values[f.id] !== 0 && read.values[f.id] !== null);
  if (dropped.length > 0) {
    const base = fieldsOfStep(step).find((f) => f.id === dropped[0]!.when?.field);
    const text = fill(m.read_contradiction, {
      base: base ? echoOf(base, read.values[base.id] ?? values[base.id], m) : "",
      dropped: dropped.map((f) => echoOf(f, read.values[f.id], m)).join(", "),
    });
    const q = questionFor(ctx, form, step, values, session.report);
    return [{ type: "set_session", key: sessionKey(ev), state: session }, ask(ev, `${text}\n${q.text}`, q)];
  }

  // "có, 2 điểm, 5 đại biểu…": figures typed with a yes answer the next question; read them there.
  let follow: ReadResult | undefined;
  const next = read.carry ? nextStep(form, merged) : undefined;
  if (read.carry && next && next !== step) {
    follow = readStep(next, read.carry, m, form);
    if (follow.ok) {
      merged = applicableValues(form, { ...merged, ...follow.values });
      for (const f of fieldsOfStep(next)) if (f.id in merged && f.id in follow.values) given[f.id] = merged[f.id]!;
      follow = undefined;
    }
  }
  const changed = Object.keys(given);
  const hard = hardViolation(form, merged, changed, m);
  if (hard) {
    // A question that may be skipped says so: "không" read as 0 can break a rule the person meant as "không rõ".
    const fix = step.kind === "field" && step.field.optional ? m.rule_fix_optional : m.rule_fix;
    return quietOnError ? [] : [{ type: "set_session", key: sessionKey(ev), state: session }, ask(ev, `${hard}\n${fix}`, typedAsk(step, session.report))];
  }

  // Last period's figures only matter for the jump warning, which only counts and amounts can raise.
  const jumpable = changed.some((id) => {
    const kind = findField(form, id)?.field.kind;
    return kind === "count" || kind === "money";
  });
  const warnings = softWarnings(form, merged, changed, jumpable ? previousAnswers(ctx, session.report) : undefined, m);
  if (warnings.length > 0) {
    const pending = Object.fromEntries(Object.entries(given).filter((e): e is [string, Value] => e[1] !== null));
    return [
      { type: "set_session", key: sessionKey(ev), state: { ...session, pending: { values: pending, warnings } } },
      ask(ev, `${warnings.join("\n")}\n${m.warn_confirm}`, confirmAsk(ctx, session.report, fieldsOfStep(step).map((f) => f.id), pending)),
    ];
  }
  if (follow && !follow.ok) {
    // The yes is stored; the figures typed with it get the reader's question (or what it expects).
    const question = follow.ask ? { text: follow.error, ask: follow.ask } : { text: follow.error };
    return commit(ctx, ev, session, form, values, given, question);
  }
  return commit(ctx, ev, session, form, values, given);
}

/**
 * Says the reading of the answer to `step` and asks about it: Có/Không for a full reading (the confirm kind,
 * about exactly these figures), or a typed answer for a part.
 */
function askAboutReading(ctx: Ctx, ev: InboundEvent, session: FormSession, step: Step, text: string, read: ReadAsk): Effect[] {
  const m = ctx.messages;
  const pending: NonNullable<FormSession["pending"]> = { values: read.confirm ?? {}, warnings: [], reading: { kept: read.kept } };
  if (read.fields) pending.reading!.fields = read.fields;
  if (read.bare) pending.reading!.bare = read.bare;
  const report = session.report;
  const asked = read.confirm
    ? confirmAsk(ctx, report, fieldsOfStep(step).map((f) => f.id), read.confirm, "form", [m.yes_label, m.no_label])
    : typedAsk(step, report);
  return [{ type: "set_session", key: sessionKey(ev), state: { ...session, pending } }, ask(ev, text, asked)];
}

/**
 * Stores the figures, echoes them the way they were understood (or with `opts.ack`), and asks the next
 * question or completes. `opts.audit` records the change in the audit trail (a report already submitted).
 */
export function commit(
  ctx: Ctx,
  ev: InboundEvent,
  session: FormSession,
  form: FormDef,
  before: AnswerMap,
  given: Record<string, Value | null>,
  /** Instead of the next question: the reader's question about figures typed with this answer. */
  instead?: { text: string; ask?: ReadAsk },
  opts: { ack?: string; audit?: "edit" } = {},
): Effect[] {
  const m = ctx.messages;
  const person = personOf(ev);
  const after = applicableValues(form, { ...before, ...given });
  const effects: Effect[] = [
    { type: "save_answers", report: session.report, values: given, by: person, ...(opts.audit ? { audit: opts.audit } : {}) },
  ];
  // Where the person is follows from the answers: a session already stored as it would be is not written again.
  const state = sessionToWrite(ctx, ev, session);
  if (state) effects.push({ type: "set_session", key: sessionKey(ev), state });
  if (!ctx.world.submission(session.report)) {
    effects.push({ type: "submission", report: session.report, status: "in_progress", by: person });
  }
  const echo = Object.entries(given)
    .map(([id, v]) => {
      const f = allFields(form).find((x) => x.field.id === id)!.field;
      return v === null ? undefined : echoOf(f, v, m);
    })
    .filter(Boolean)
    .join(", ");
  const ack = opts.ack ?? (echo ? fill(m.accepted, { values: echo }) : "");
  const next = nextStep(form, after);
  if (next && instead) {
    const header = opensSection(next, after) ? fill(m.section_header, { n: next.sectionIndex + 1, total: form.sections.length, title: next.section.title }) : "";
    const text = [ack, header, instead.text].filter(Boolean).join("\n");
    if (!instead.ask) return [...effects, ask(ev, text, typedAsk(next, session.report))];
    const asked = askAboutReading(ctx, ev, { ...session, pending: undefined }, next, text, instead.ask);
    return [...effects.filter((e) => e.type !== "set_session"), ...asked];
  }
  if (next) {
    const q = questionFor(ctx, form, next, after, session.report);
    effects.push(ask(ev, [ack, q.text].filter(Boolean).join("\n"), q));
    return effects;
  }
  return [...effects, ...complete(ctx, ev, session, form, after)];
}

/**
 * The person's session in this chat as it goes on from `from`, nothing pending; undefined when it is stored exactly
 * so already (nothing to write).
 */
function sessionToWrite(ctx: Ctx, ev: InboundEvent, from: FormSession): FormSession | undefined {
  const stored = ctx.world.session(sessionKey(ev));
  // Most answers go on with the very session read for this decision, nothing pending: unchanged at a glance,
  // and no copy is made.
  if (stored !== undefined && stored === from && from.pending === undefined) return undefined;
  const state: FormSession = { ...from, pending: undefined };
  return stored !== undefined && JSON.stringify(stored) === JSON.stringify(state) ? undefined : state;
}

/** The compact one-line summary of the figures, from the sections' summary templates. */
export function summaryLine(ctx: Ctx, form: FormDef, values: AnswerMap): string {
  const vars = figureVars(form, values, ctx.messages);
  return form.sections
    .filter((s) => s.summary)
    .map((s) => fill(s.summary!, vars))
    .filter((line) => !/\{[a-z_0-9]+\}/.test(line))
    .join(" · ");
}

/** The form is complete: the group gets the summary with the draft attached, in one message. */
export function complete(ctx: Ctx, ev: InboundEvent, session: FormSession, form: FormDef, values: AnswerMap): Effect[] {
  const m = ctx.messages;
  const area = ctx.world.unit(session.report.unit)?.name ?? session.report.unit;
  const period = reportLabel(ctx, form, session.report.period);
  const before = ctx.world.submission(session.report);
  const version = (before?.version ?? 0) + 1;
  // Completed again after a reopening: the leader of record stays the author while they still lead the area.
  const keepAuthor = authorStillLeads(ctx, session.report.unit, before);
  const effects: Effect[] = [
    { type: "submission", report: session.report, status: "completed", by: personOf(ev), keepAuthor },
    { type: "clear_session", key: sessionKey(ev) },
    {
      type: "reply",
      out: {
        platform: ev.platform,
        chatId: session.homeChatId,
        // Threaded under the last answer when it was given in the group itself.
        replyTo: session.homeChatId === ev.chat.id ? (ev.body.kind === "choice" ? ev.body.messageId : ev.messageId) : undefined,
        text: fill(m.completed, { area, period, summary: summaryLine(ctx, form, values) }),
        document: { kind: "area_report", report: session.report, version },
        purpose: "report",
      },
    },
  ];
  if (session.homeChatId !== ev.chat.id) effects.push(reply(ev, m.completed_private));
  return effects;
}

/** /lai: forget the previous step's answers and ask it again. */
export function goBack(ctx: Ctx, ev: InboundEvent, session: FormSession): Effect[] {
  const m = ctx.messages;
  const form = formById(ctx, session.report.form)!;
  const values = ctx.world.answers(session.report);
  const step = previousStep(form, values);
  if (!step) {
    const cur = nextStep(form, values);
    if (!cur) return [reply(ev, m.back_at_start)];
    const q = questionFor(ctx, form, cur, values, session.report);
    return [ask(ev, `${m.back_at_start}\n${q.text}`, q)];
  }
  const fields = fieldsOfStep(step).map((f) => f.id).filter((id) => id in values);
  const remaining = { ...values };
  for (const id of fields) delete remaining[id];
  const q = questionFor(ctx, form, step, remaining, session.report);
  const current = fields.map((id) => {
    const f = allFields(form).find((x) => x.field.id === id)!.field;
    return echoOf(f, values[id], m);
  });
  return [
    { type: "clear_answers", report: session.report, fields },
    { type: "set_session", key: sessionKey(ev), state: { ...session, pending: undefined } },
    ask(ev, `${m.back_done} (${current.join(", ")})\n${q.text}`, q),
  ];
}

/** /bo: skip the current question when it is optional. */
export function skip(ctx: Ctx, ev: InboundEvent, session: FormSession): Effect[] {
  const m = ctx.messages;
  const form = formById(ctx, session.report.form)!;
  const values = ctx.world.answers(session.report);
  const step = nextStep(form, values);
  if (!step) return [{ type: "clear_session", key: sessionKey(ev) }];
  if (step.kind !== "field" || !step.field.optional) {
    const q = questionFor(ctx, form, step, values, session.report);
    return [ask(ev, `${fill(m.skip_not_optional, { hint: "" }).trim()}\n${q.text}`, q)];
  }
  const effects = commit(ctx, ev, session, form, values, { [step.field.id]: null });
  return effects.map((e) =>
    e.type === "reply" && e.out.purpose === "question"
      ? { ...e, out: { ...e.out, text: `${fill(m.accepted_skip, { label: step.field.label })}\n${e.out.text}` } }
      : e,
  );
}

/** The report kind a taken figure comes from, as a sentence names it ("báo cáo tháng"). */
function sourceName(ctx: Ctx, formId: string): string {
  const name = formById(ctx, formId)?.name ?? formId;
  return name.charAt(0).toLocaleLowerCase("vi") + name.slice(1);
}

/** /xem: every figure entered so far, in one message (a taken figure says which report it comes from). */
export function view(ctx: Ctx, ev: InboundEvent, report: ReportKey, form: FormDef): Effect[] {
  const m = ctx.messages;
  const values = ctx.world.answers(report);
  const area = ctx.world.unit(report.unit)?.name ?? report.unit;
  if (Object.keys(askedValues(form, values)).length === 0) return [reply(ev, fill(m.view_empty, { period: reportLabel(ctx, form, report.period) }))];
  const status = ctx.world.submission(report)?.status ?? "in_progress";
  const lines = [fill(m.view_header, { period: reportLabel(ctx, form, report.period), area, status: m[`status_${status}`] })];
  const derived = derivedValues(form, values);
  for (const section of form.sections) {
    for (const f of section.fields) {
      if (!(f.id in values)) continue;
      const value = formatWithUnit(f, values[f.id], m);
      lines.push(fill(m.view_line, { label: f.label, value: f.from ? fill(m.view_taken, { value, source: sourceName(ctx, f.from.form) }) : value }));
    }
    for (const d of section.derived) if (d.id in derived) lines.push(fill(m.view_line, { label: d.label, value: formatWithUnit(d, derived[d.id], m) }));
  }
  return [reply(ev, lines.join("\n"))];
}
