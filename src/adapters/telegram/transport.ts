// Neutral outgoing message → Telegram Bot API call, and Telegram's errors → the outbox's retry decisions.
import { GrammyError, HttpError, InputFile, type Api } from "grammy";
import type { ForceReply, InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import type { RenderedFile } from "../../app/documents.js";
import { SendError, type GoneReason, type Payload, type Transport } from "../../app/outbox.js";
import type { Messages } from "../../core/messages.js";
import { clipUnits, wellFormed } from "../../core/text.js";
import { textWithButtons } from "../button-text.js";

const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;

/**
 * Names become text_mention entities, which notify people with or without a username. Telegram counts
 * entity offsets in UTF-16 code units, which is what JS string indices are.
 */
function withMentions(payload: Payload): { text: string; entities?: MessageEntity[] } {
  const text = payload.mention ? `${payload.mention.name}, ${payload.text}` : payload.text;
  const people = [...(payload.mention ? [payload.mention] : []), ...(payload.mentions ?? [])];
  const entities: MessageEntity[] = [];
  let from = 0;
  for (const p of people) {
    const at = text.indexOf(p.name, from);
    if (at < 0 || !/^\d+$/.test(p.userId)) continue;
    entities.push({ type: "text_mention", offset: at, length: p.name.length, user: { id: Number(p.userId), is_bot: false, first_name: p.name } });
    from = at + p.name.length;
  }
  return entities.length ? { text, entities } : { text };
}

/**
 * Telegram's length limit, cut between characters. Half a character left by any earlier cut is replaced
 * first: it is not valid UTF-8, and Telegram would refuse the whole message (a permanent failure).
 */
function clip(text: string, limit: number): string {
  const whole = wellFormed(text);
  return whole.length <= limit ? whole : `${clipUnits(whole, limit - 1)}…`;
}

export interface TelegramTransportOptions {
  groupPerMinute: number;
  privateMinGapMs: number;
  groupMinGapMs: number;
  /** Messages a second across all chats (Telegram allows about 30; the default 25 leaves room for bunching). */
  globalPerSecond?: number;
  botUsername: () => string | undefined;
  /** How a choice is answered, shown under the question (prompts/messages.yaml). */
  messages: Messages;
}

export class TelegramTransport implements Transport {
  readonly platform = "telegram" as const;

  constructor(
    private readonly api: Api,
    private readonly opts: TelegramTransportOptions,
  ) {}

  isGroup(chatId: string): boolean {
    return chatId.startsWith("-");
  }

  globalPerSecond(): number {
    return this.opts.globalPerSecond ?? 25;
  }

  pacing(chatId: string) {
    // Negative ids are groups and channels: Telegram allows about 20 messages a minute there.
    return chatId.startsWith("-")
      ? { perMinute: this.opts.groupPerMinute, minGapMs: this.opts.groupMinGapMs }
      : { perMinute: 60, minGapMs: this.opts.privateMinGapMs };
  }

  private markup(payload: Payload): { reply_markup?: InlineKeyboardMarkup | ForceReply; extraText: string } {
    const username = this.opts.botUsername();
    const link = payload.privateLink && username ? `https://t.me/${username}?start=p_${payload.privateLink.token}` : undefined;
    if (payload.choices && payload.choices.length > 0) {
      const rows = payload.choices.map((row) => row.map((c) => ({ text: c.label, callback_data: c.data })));
      if (link) rows.push([{ text: payload.privateLink!.label, url: link } as never]);
      return { reply_markup: { inline_keyboard: rows }, extraText: "" };
    }
    // The web view opens inside Telegram as a Mini App (HTTPS only); its address is in the text as well.
    if (payload.webApp && payload.webApp.url.startsWith("https://")) {
      return { reply_markup: { inline_keyboard: [[{ text: payload.webApp.label, web_app: { url: payload.webApp.url } }]] }, extraText: "" };
    }
    // A question with ForceReply cannot carry buttons; the private-chat link then goes in the text.
    const extraText = link ? `\n${payload.privateLink!.label}: ${link}` : "";
    if (payload.forceReply) return { reply_markup: { force_reply: true, selective: true }, extraText };
    return { extraText };
  }

  async deliver(chatId: string, payload: Payload, file?: RenderedFile): Promise<{ messageId?: string }> {
    try {
      if (payload.callback) {
        await this.api.answerCallbackQuery(payload.callback.id, payload.callback.text ? { text: clip(payload.callback.text, 200) } : {});
        if (!payload.text) return {};
      }
      const { reply_markup, extraText } = this.markup(payload);
      const { text, entities } = withMentions({ ...payload, text: textWithButtons(payload, this.opts.messages) + extraText });
      const reply_parameters = payload.replyTo ? { message_id: Number(payload.replyTo), allow_sending_without_reply: true } : undefined;
      if (payload.editOf) {
        const inline = reply_markup && "inline_keyboard" in reply_markup ? reply_markup : undefined;
        try {
          await this.api.editMessageText(chatId, Number(payload.editOf), clip(text, TEXT_LIMIT), { entities, reply_markup: inline });
        } catch (err) {
          // Editing to the same text is a no-op for us, not a failure.
          if (!(err instanceof GrammyError && /message is not modified/i.test(err.description))) throw err;
        }
        return { messageId: payload.editOf };
      }
      if (file) {
        const msg = await this.api.sendDocument(chatId, new InputFile(file.bytes, file.filename), {
          caption: clip(text, CAPTION_LIMIT),
          caption_entities: entities,
          reply_parameters,
        });
        return { messageId: String(msg.message_id) };
      }
      const msg = await this.api.sendMessage(chatId, clip(text, TEXT_LIMIT), {
        entities,
        reply_parameters,
        reply_markup,
        link_preview_options: { is_disabled: true },
      });
      return { messageId: String(msg.message_id) };
    } catch (err) {
      throw toSendError(err);
    }
  }
}

/** Telegram's ways of saying the chat is out of reach for good (the bot cannot fix it by trying again). */
const GONE: Array<[RegExp, GoneReason]> = [
  [/bot was kicked/i, "kicked"],
  [/bot was blocked by the user/i, "blocked"],
  [/bot is not a member/i, "left"],
  [/user is deactivated/i, "deactivated"],
  [/bot can't initiate conversation/i, "never_started"],
  [/chat not found/i, "not_found"],
];

export function toSendError(err: unknown): SendError {
  if (err instanceof GrammyError) {
    const migrateTo = err.parameters?.migrate_to_chat_id;
    if (migrateTo !== undefined) return new SendError({ kind: "migrated", toChatId: String(migrateTo) });
    if (err.error_code === 403 || err.error_code === 400) {
      const gone = GONE.find(([re]) => re.test(err.description));
      if (gone) return new SendError({ kind: "gone", reason: gone[1], detail: `${err.error_code} ${err.description}` });
    }
    if (err.error_code === 429) return new SendError({ kind: "retry_after", seconds: err.parameters?.retry_after ?? 5 });
    if (err.error_code >= 500) return new SendError({ kind: "transient", detail: err.description });
    if (/query is too old|query ID is invalid/i.test(err.description)) return new SendError({ kind: "permanent", detail: err.description });
    return new SendError({ kind: "permanent", detail: `${err.error_code} ${err.description}` });
  }
  if (err instanceof HttpError) return new SendError({ kind: "transient", detail: "network" });
  return new SendError({ kind: "transient", detail: err instanceof Error ? err.message : String(err) });
}
