// Zalo update → neutral event. The payload is validated with zod (a webhook body is untrusted input); anything
// malformed, unknown or unsupported comes back as `ignored` with a reason for the log, never as an exception.
import { z } from "zod";
import type { InboundEvent } from "../../core/events.js";
import { normalizeCommand, stripMention } from "./commands.js";

const id = z.union([z.string().min(1), z.number()]).transform(String);

const messageSchema = z
  .object({
    message_id: id,
    from: z
      .object({
        id,
        display_name: z.string().optional(),
        name: z.string().optional(),
        first_name: z.string().optional(),
        is_bot: z.boolean().optional(),
      })
      .loose(),
    chat: z.object({ id, chat_type: z.string().optional() }).loose(),
    text: z.string().optional(),
    date: z.number().optional(),
  })
  .loose();

export const updateSchema = z.object({ event_name: z.string().min(1), message: messageSchema.optional() }).loose();
export type ZaloUpdate = z.infer<typeof updateSchema>;

/** Webhook bodies come either as the update itself or wrapped like a getUpdates answer (`{ok, result}`). */
export function parseUpdate(raw: unknown): { ok: true; update: ZaloUpdate } | { ok: false; error: string } {
  const body =
    raw && typeof raw === "object" && !Array.isArray(raw) && "result" in raw && !("event_name" in raw)
      ? (raw as { result: unknown }).result
      : raw;
  const parsed = updateSchema.safeParse(body);
  if (parsed.success) return { ok: true, update: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, error: issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid update" };
}

export interface ZaloEventContext {
  /** The names people @mention the bot by in a group. */
  botNames: readonly string[];
  /** The bot's last question to this person in this chat: a mention-answer in a group is taken as a reply to it. */
  lastQuestion?: (chatId: string, userId: string) => string | undefined;
}

export type Converted =
  | { kind: "event"; event: InboundEvent; guessedMention?: boolean }
  | { kind: "ignored"; reason: string };

const MEDIA_EVENTS = /^message\.(image|sticker|voice|video|audio|file|gif|link|location)\.received$/;

export function toEvent(update: ZaloUpdate, ctx: ZaloEventContext): Converted {
  const msg = update.message;
  if (!msg) return { kind: "ignored", reason: `no message in ${update.event_name}` };
  if (msg.from.is_bot) return { kind: "ignored", reason: "from a bot" };
  const chatType = msg.chat.chat_type
    ? msg.chat.chat_type.toUpperCase() === "GROUP"
      ? "group"
      : "private"
    : msg.chat.id === msg.from.id
      ? "private"
      : "group";
  const name = (msg.from.display_name ?? msg.from.name ?? msg.from.first_name ?? "").trim() || msg.from.id;
  const base = {
    platform: "zalo" as const,
    updateKey: `${update.event_name}:${msg.message_id}`,
    chat: { id: msg.chat.id, type: chatType },
    from: { id: msg.from.id, name },
    messageId: msg.message_id,
  } satisfies Omit<InboundEvent, "body">;
  // In a group the bot sees a message only when it is mentioned: it is addressed to the bot, as a reply is.
  const addressed = (): InboundEvent["replyTo"] =>
    chatType === "group"
      ? { messageId: ctx.lastQuestion?.(msg.chat.id, msg.from.id) ?? `mention:${msg.message_id}`, fromBot: true }
      : undefined;

  if (update.event_name === "message.text.received") {
    if (typeof msg.text !== "string") return { kind: "ignored", reason: "text event without text" };
    let text = msg.text;
    let guessed = false;
    let replyTo: InboundEvent["replyTo"];
    if (chatType === "group") {
      const m = stripMention(text, ctx.botNames);
      if (m.mentioned) {
        // A bare mention asks what the bot can do.
        text = m.text || "/trogiup";
        guessed = m.guessed;
        replyTo = addressed();
      }
    }
    // Commands without a slash: in a private chat always, in a group only when the bot was mentioned.
    if (chatType === "private" || replyTo) text = normalizeCommand(text);
    if (!text.trim()) return { kind: "ignored", reason: "empty text" };
    return { kind: "event", event: { ...base, replyTo, body: { kind: "text", text } }, guessedMention: guessed || undefined };
  }
  // What the bot cannot read (a sticker, a photo, a kind Zalo itself calls unsupported) gets a polite word.
  if (MEDIA_EVENTS.test(update.event_name) || update.event_name === "message.unsupported.received") {
    return { kind: "event", event: { ...base, replyTo: addressed(), body: { kind: "media" } } };
  }
  return { kind: "ignored", reason: `unknown event ${update.event_name.slice(0, 60)}` };
}
