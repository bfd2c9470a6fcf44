// Outgoing → plain text for a platform without buttons, mentions or files (Zalo). Buttons become a numbered
// list answered with the number ("Trả lời 1, 2 hoặc 3"), yes/no buttons an invitation to type "có"/"không";
// a draft becomes a link; text over the 2,000-character limit is split at line boundaries. Every sentence the
// user reads comes from prompts/messages.yaml.
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import type { Choice } from "../../core/events.js";
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

const isYesNo = (flat: Choice[], m: Messages) =>
  flat.length === 2 &&
  /^v:[^:]+:1$/.test(flat[0]!.data) &&
  /^v:[^:]+:0$/.test(flat[1]!.data) &&
  flat[0]!.label === m.yes_label &&
  flat[1]!.label === m.no_label;

const isConfirm = (flat: Choice[]) => flat.length === 2 && flat.some((c) => c.data === "ok:1") && flat.some((c) => c.data === "ok:0");

/** "1. Ấp Bến Đò" stays as it is; a bare label gets its number. */
function numbered(flat: Choice[]): string[] {
  return flat.map((c, i) => (new RegExp(`^${i + 1}[.)]\\s`).test(c.label) ? c.label : `${i + 1}. ${c.label}`));
}

function choicesBlock(choices: Choice[][], m: Messages): { list: string[]; hint: string } {
  const flat = choices.flat();
  if (isConfirm(flat)) return { list: [], hint: m.plain_confirm_hint };
  if (isYesNo(flat, m)) return { list: [], hint: fill(m.plain_yesno_hint, { yes: m.value_yes, no: m.value_no }) };
  const n = flat.length;
  const hint =
    n === 1
      ? m.plain_choice_single
      : fill(m.plain_choices_hint, { numbers: Array.from({ length: n - 1 }, (_, i) => i + 1).join(", "), last: n });
  return { list: numbered(flat), hint };
}

/**
 * Replaces a filled `from` template by the same values in `to` ("Anh/chị Tư … Bấm chọn, hoặc trả lời bằng số
 * thứ tự:" → "Anh/chị Tư … Trả lời bằng số thứ tự:"). Text without it is returned unchanged.
 */
export function rewriteTemplate(text: string, from: string, to: string): string {
  const names: string[] = [];
  const pattern = from
    .split(/(\{[a-z_][a-z0-9_]*\})/i)
    .map((part) => {
      const ph = /^\{([a-z_][a-z0-9_]*)\}$/i.exec(part);
      if (!ph) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(ph[1]!);
      return "([\\s\\S]*?)";
    })
    .join("");
  const match = new RegExp(pattern).exec(text);
  if (!match) return text;
  const vars = Object.fromEntries(names.map((n, i) => [n, match[i + 1]]));
  return text.slice(0, match.index) + fill(to, vars) + text.slice(match.index + match[0].length);
}

/** "13/11/2026 09:00" in Vietnam time. */
export function formatExpiry(at: Date): string {
  return format(new TZDate(at.getTime(), "Asia/Ho_Chi_Minh"), "dd/MM/yyyy HH:mm");
}

/** The whole message as one text (it may exceed the limit; see splitText). */
export function renderPlain(payload: Payload, ctx: RenderContext): string {
  const m = ctx.messages;
  let text = rewriteTemplate(payload.text, m.register_choose, m.plain_register_choose);
  // Buttons that only repeat a command written in the text are left out: the command is what to type here.
  if (payload.choices && payload.choices.length > 0 && !payload.buttonsOnly) {
    const { list, hint } = choicesBlock(payload.choices, m);
    const block = [...list, hint];
    const lines = text.split("\n");
    // The list takes the place of the "press a button or answer with the number" line when there is one.
    const at = lines.indexOf(m.choice_line);
    if (at >= 0) lines.splice(at, 1, ...block);
    else lines.push(...block);
    text = lines.join("\n");
  }
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
