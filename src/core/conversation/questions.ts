// Which question an answer belongs to. Every question the bot sends says what it asks (Outgoing.question,
// recorded with the message); a reply to a message, or a press of one of its buttons, is matched against the
// question the person's session is waiting for. Only when they are the same is the answer read as usual.
import type { Choice, InboundEvent, Question } from "../events.js";
import { type ReportKey, sameReport } from "../report-key.js";
import type { FormDef } from "../forms/schema.js";
import { fieldsOfStep, nextStep, type Step } from "../forms/steps.js";
import type { SessionState, Value } from "../types.js";
import { type Ctx, formById } from "./context.js";

/** What a turn asks: the question's description and the buttons that answer it. */
export interface Ask {
  question: Question;
  choices?: Choice[][];
}

/** The part of a question that identifies it (kind and layout aside). */
export type QuestionRef = Pick<Question, "topic" | "report" | "fields">;

/** The form question for a step of a report: the step's fields, and how it is answered. */
export function stepQuestion(step: Step, report: ReportKey, footer?: string): Question {
  const f = step.kind === "field" ? step.field : undefined;
  const kind = f?.kind === "yesno" ? "yesno" : f?.kind === "choice" ? "choice" : "free";
  return { kind, topic: "form", report, fields: fieldsOfStep(step).map((x) => x.id), footer };
}

/**
 * The confirmation of figures not stored yet: `fields` is the question they answer, `values` the figures
 * themselves; the buttons say "Đúng, giữ nguyên" / "Nhập lại" unless `labels` are given (Có / Không).
 */
export function confirmAsk(ctx: Ctx, report: ReportKey, fields: string[], values: Record<string, Value>, topic: "form" | "edit" = "form", labels?: [string, string]): Ask {
  const m = ctx.messages;
  const [keep, reenter] = labels ?? [m.warn_keep, m.warn_reenter];
  return {
    question: { kind: "confirm", topic, report, fields, values },
    choices: [
      [
        { label: keep, data: "ok:1" },
        { label: reenter, data: "ok:0" },
      ],
    ],
  };
}

/** The question a session waits for, and the figures waiting for confirmation if any. */
interface Waiting {
  ref: QuestionRef;
  confirming?: Record<string, Value>;
}

function waitingFor(ctx: Ctx, session: SessionState): Waiting | undefined {
  switch (session.mode) {
    case "register":
      return { ref: { topic: "register" } };
    case "full_name":
      return { ref: { topic: "name" } };
    case "pick_area":
      return { ref: { topic: "area" } };
    case "pick_form":
      return { ref: { topic: "kind" } };
    case "edit_choose":
      return { ref: { topic: "edit", report: session.report, fields: [] } };
    case "edit_value":
      return {
        ref: { topic: "edit", report: session.report, fields: [session.field] },
        confirming: session.pending ? { [session.field]: session.pending.value } : undefined,
      };
    case "form": {
      const report = session.report;
      if (session.pending) {
        const fields = session.pending.fields ?? currentFields(ctx, session) ?? Object.keys(session.pending.values);
        return { ref: { topic: "form", report, fields }, confirming: session.pending.values };
      }
      const fields = currentFields(ctx, session);
      return fields ? { ref: { topic: "form", report, fields } } : undefined;
    }
  }
}

function currentFields(ctx: Ctx, session: Extract<SessionState, { mode: "form" }>): string[] | undefined {
  const form: FormDef | undefined = formById(ctx, session.report.form);
  const step = form ? nextStep(form, ctx.world.answers(session.report)) : undefined;
  return step ? fieldsOfStep(step).map((f) => f.id) : undefined;
}

const sorted = (values: Record<string, Value> | undefined) => JSON.stringify(Object.entries(values ?? {}).sort(([x], [y]) => x.localeCompare(y)));

function sameRef(a: QuestionRef, b: QuestionRef): boolean {
  const fields = (q: QuestionRef) => [...(q.fields ?? [])].sort().join(",");
  return a.topic === b.topic && sameReport(a.report, b.report) && fields(a) === fields(b);
}

/**
 * Whether `q` is the question the session waits for. While figures wait for confirmation, both the question
 * they answer (a corrected figure) and the confirmation of exactly those figures are; an older confirmation of
 * other figures for the same fields is not.
 */
export function isWaitingFor(ctx: Ctx, session: SessionState, q: Question): boolean {
  const waiting = waitingFor(ctx, session);
  if (!waiting || !sameRef(q, waiting.ref)) return false;
  if (q.kind !== "confirm") return true;
  return waiting.confirming !== undefined && sorted(q.values) === sorted(waiting.confirming);
}

/**
 * What a reply or button press answers:
 * - `none`: nothing to match (no reply, or a message recorded without a question): the current question;
 * - `known`: this recorded question.
 */
export type Answered = { kind: "none" } | { kind: "known"; question: Question };

/** The question a bot message asked, when the person replied to it (`messageId`) or pressed its buttons. */
export function answeredQuestion(ctx: Ctx, ev: InboundEvent, messageId: string | undefined): Answered {
  if (!messageId) return { kind: "none" };
  const sent = ctx.world.botMessage(ev.platform, ev.chat.id, messageId);
  if (sent) return sent.question ? { kind: "known", question: sent.question } : { kind: "none" };
  // Never recorded: the earlier copy of a retried message (the bot stopped between sending and recording it)
  // is the message just before the retry, since a chat's messages leave strictly one after another.
  const next = ctx.world.botMessageAfter(ev.platform, ev.chat.id, messageId);
  if (next?.resent && next.owner === ev.from.id && next.question) return { kind: "known", question: next.question };
  return { kind: "none" };
}
