// Group noise: how many messages the bot puts into a group per completed form, by section — against a naive
// bot that sends one message per question and one acknowledgement per answer.
import { loadPrompts } from "../../src/config/load-prompts.js";
import type { FormDef } from "../../src/core/forms/schema.js";
import { fieldApplies } from "../../src/core/forms/steps.js";
import type { AnswerMap } from "../../src/core/types.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import type { SentEntry } from "../../test/support/fake-telegram.js";
import { FORM_ID } from "./world.js";

export function defaultFormDef(): FormDef {
  const form = loadPrompts(DEFAULT_PROMPTS).forms.find((f) => f.id === FORM_ID);
  if (!form) throw new Error(`bench: form ${FORM_ID} not found`);
  return form;
}

export const COMPLETION = "completion";
export const COMMUNE = "commune";
export const OTHER = "other";

/**
 * The section a bot message belongs to: the section whose question it asks (a message is "acknowledgement +
 * next question"); "completion" for an area's summary with its draft (the reply to the last answer);
 * "commune" for what the group gets once when its last area completes (not a reply to anyone); "other" for
 * anything else (errors, refusals).
 */
export function sectionOfMessage(form: FormDef, e: SentEntry): string {
  if (e.method === "sendDocument") return e.replyTo !== undefined ? COMPLETION : COMMUNE;
  const text = e.text ?? "";
  for (const s of form.sections) {
    const asks = [s.prompt, ...s.fields.map((f) => f.question)].filter((q): q is string => !!q);
    if (asks.some((q) => text.includes(q))) return s.id;
  }
  return OTHER;
}

/**
 * The naive count, from the form definition: every field that applies to these answers is asked on its own
 * (one question message) and acknowledged on its own (one message), plus the final report message.
 */
export function naiveMessages(form: FormDef, values: AnswerMap): { total: number; bySection: Record<string, number> } {
  const bySection: Record<string, number> = {};
  let total = 1; // the completion message with the draft
  for (const s of form.sections) {
    const asked = s.fields.filter((f) => fieldApplies(s, f, values)).length;
    bySection[s.id] = 2 * asked;
    total += 2 * asked;
  }
  return { total, bySection };
}

/**
 * Counts the bot's messages (new messages, not edits) per section over all forms, divided by the number of
 * forms. The total leaves out what a commune gets once (`commune`), which is not a per-form cost.
 */
export function messagesPerForm(form: FormDef, sent: SentEntry[], forms: number): { total: number; bySection: Record<string, number> } {
  const bySection: Record<string, number> = Object.fromEntries([...form.sections.map((s) => [s.id, 0]), [COMPLETION, 0], [COMMUNE, 0], [OTHER, 0]]);
  for (const e of sent) {
    if (e.method !== "sendMessage" && e.method !== "sendDocument") continue;
    const k = sectionOfMessage(form, e);
    bySection[k] = (bySection[k] ?? 0) + 1;
  }
  const total = Object.entries(bySection).reduce((a, [k, v]) => (k === COMMUNE ? a : a + v), 0);
  return { total: total / forms, bySection: Object.fromEntries(Object.entries(bySection).map(([k, v]) => [k, v / forms])) };
}
