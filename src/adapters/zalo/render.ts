// Outgoing → plain text for a platform without buttons, mentions or files (Zalo). How a question is answered
// comes from the core's structured question: a choice becomes a numbered list answered with the number
// ("Trả lời 1, 2 hoặc 3"), yes/no and confirmations an invitation to type "có"/"không", and the question's
// footer (how to go back or pause) follows; a draft becomes a link; text over the 2,000-character limit is split
// at line boundaries. Nothing is read back from rendered text. Every sentence comes from prompts/messages.yaml.
import type { Choice, QuestionKind } from "../../core/events.js";
import { formatDateTime } from "../../core/local-time.js";
import { fill, type Messages } from "../../core/messages.js";
import type { Payload } from "../../app/outbox.js";
import { ZALO_TEXT_LIMIT } from "./api.js";

export interface RenderContext {
  messages: Messages;
  /** The bot's name as people @mention it in a group. */
  botName: string;
  /** Where a person opens a private chat with the bot. */
  botLink: string;
  /** The person a group message is for (named at the top, since Zalo has neither replies nor mentions). */
  addressee?: string;
  /** The draft's download link, and the file's name as people read it. */
  file?: { url: string; expiresAt: Date; name: string };
}

/** "1. Ấp Bến Đò" stays as it is; a bare label gets its number. */
function numbered(flat: Choice[]): string[] {
  return flat.map((c, i) => (new RegExp(`^${i + 1}[.)]\\s`).test(c.label) ? c.label : `${i + 1}. ${c.label}`));
}

/** The lines that say how to answer: the options by number for a choice, "có"/"không" for the others. */
function answerLines(kind: QuestionKind, choices: Choice[][] | undefined, m: Messages): string[] {
  const flat = choices?.flat() ?? [];
  switch (kind) {
    case "yesno":
      return [fill(m.plain_yesno_hint, { yes: m.value_yes, no: m.value_no })];
    case "confirm":
      return [m.plain_confirm_hint];
    case "choice": {
      const n = flat.length;
      if (n === 0) return [];
      const hint = n === 1 ? m.plain_choice_single : fill(m.plain_choices_hint, { numbers: Array.from({ length: n - 1 }, (_, i) => i + 1).join(", "), last: n });
      return [...numbered(flat), hint];
    }
    case "free":
      return [];
  }
}

/** "13/11/2026 09:00" in Vietnam time. */
export function formatExpiry(at: Date): string {
  return formatDateTime(at);
}

/** The whole message as one text (it may exceed the limit; see splitText). */
export function renderPlain(payload: Payload, ctx: RenderContext): string {
  const m = ctx.messages;
  // Buttons that only repeat a command written in the text are left out: the command is what to type here.
  // Buttons without a question description are offered as a choice all the same.
  const kind = payload.buttonsOnly ? "free" : (payload.question?.kind ?? (payload.choices?.length ? "choice" : "free"));
  const lines = [payload.text, ...answerLines(kind, payload.choices, m)];
  if (payload.question?.footer) lines.push(payload.question.footer);
  let text = lines.filter((l) => l !== "").join("\n");
  if (payload.privateLink) text += `\n${fill(m.plain_private_offer, { bot: ctx.botName, link: ctx.botLink })}`;
  if (ctx.file) text += `\n${fill(m.draft_link, { url: ctx.file.url, name: ctx.file.name, expires: formatExpiry(ctx.file.expiresAt) })}`;
  if (ctx.addressee && !text.includes(ctx.addressee)) text = `${fill(m.plain_addressee, { name: ctx.addressee })}\n${text}`;
  return text.trim();
}

/**
 * Splits text into as few parts as possible, each at most `limit` characters (UTF-16 code units, which is at
 * least the number of characters the platform counts), breaking at line ends; a single line longer than the
 * limit is broken at a space, or hard when it has none. Parts keep their order; blank edges are dropped.
 */
export function splitText(text: string, limit = ZALO_TEXT_LIMIT): string[] {
  if (limit < 2) throw new Error("limit too small");
  const parts: string[] = [];
  let current = "";
  const flush = () => {
    const t = current.replace(/^\n+|\n+$/g, "");
    if (t.trim()) parts.push(t);
    current = "";
  };
  for (const line of text.split("\n")) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > limit) {
      let cut = rest.lastIndexOf(" ", limit);
      if (cut <= 0) cut = limit;
      // Never cut between the two halves of a surrogate pair (an emoji).
      const code = rest.charCodeAt(cut - 1);
      if (cut === limit && code >= 0xd800 && code <= 0xdbff) cut--;
      const piece = rest.slice(0, cut).trimEnd();
      if (piece) parts.push(piece);
      rest = rest.slice(cut).replace(/^ +/, "");
    }
    current = rest;
  }
  flush();
  return parts;
}
