// Neutral outgoing message → Telegram Bot API calls, and Telegram's errors → the outbox's retry decisions.
//
// A message with a chart or a draft becomes as few chat messages as keep everything readable: the chart as a
// photo (an album of photos for a chart of several pictures) carrying the text as its caption, then the draft
// as a document. Captions hold at most 1,024 characters: a longer text goes as a message of its own after the
// chart (or before a draft that has no chart), and the photo and the draft get short captions. A retry after a
// failure half-way resumes after the parts already sent; a photo Telegram refuses leaves the text to go without it.
import { GrammyError, HttpError, InputFile, type Api } from "grammy";
import type { ForceReply, InlineKeyboardMarkup, InputMediaPhoto, Message, MessageEntity, ReplyParameters } from "grammy/types";
import type { ChartImage } from "../../app/charts/chart-service.js";
import type { RenderedFile } from "../../app/documents.js";
import { SendError, type Delivered, type DeliveryExtras, type GoneReason, type Payload, type Transport } from "../../app/outbox.js";
import { SendProgress } from "../../app/send-progress.js";
import { fill, type Messages } from "../../core/messages.js";
import { clipUnits, wellFormed } from "../../core/text.js";
import { textWithButtons } from "../button-text.js";

const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
/** sendMediaGroup takes 2–10 items. */
const ALBUM_LIMIT = 10;

/** One chat message (or one album) of a delivery. */
interface Part {
  send: () => Promise<Message | Message[]>;
  /** It carries the message's text (its id is the one recorded for replies). */
  text: boolean;
  /** It is (part of) the chart: refused for good, the rest goes without the chart. */
  picture: boolean;
  /** Chat messages it becomes. */
  messages: number;
}

interface PartsState {
  /** Where the chart was given up (Telegram refused a picture): the parts after it are the plain ones. */
  withoutChartAt?: number;
  /** Whether the text was sent before the chart was given up. */
  textSentBefore?: boolean;
  messageId?: string;
}

/** The pictures in albums of 2–10 (a single one alone). */
function albums(pictures: ChartImage[]): ChartImage[][] {
  const out: ChartImage[][] = [];
  for (let i = 0; i < pictures.length; i += ALBUM_LIMIT) out.push(pictures.slice(i, i + ALBUM_LIMIT));
  // Eleven pictures are an album of nine and one of two, never one of ten and a lone photo.
  const last = out.at(-1);
  if (out.length > 1 && last?.length === 1) last.unshift(out.at(-2)!.pop()!);
  return out;
}

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
  /** How a choice is answered, shown under the question; the draft's short caption (prompts/messages.yaml). */
  messages: Messages;
  /** Told when a photo was refused and the message went without it. */
  onPictureRefused?: (detail: string) => void;
}

export class TelegramTransport implements Transport {
  readonly platform = "telegram" as const;
  private readonly progress = new SendProgress<PartsState>();

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

  async deliver(chatId: string, payload: Payload, file?: RenderedFile, extras: DeliveryExtras = {}): Promise<Delivered> {
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
      const pictures = extras.pictures ?? [];
      if (file || pictures.length > 0) {
        const body: Body = { text: clip(text, TEXT_LIMIT), entities, reply_markup, reply_parameters };
        return await this.sendParts(chatId, body, file, pictures, this.progress.key(chatId, payload, extras.rowId));
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

  /** Sends the parts of a message with a chart or a draft, from where an earlier try stopped. */
  private async sendParts(chatId: string, body: Body, file: RenderedFile | undefined, pictures: ChartImage[], key: string): Promise<Delivered> {
    const progress = this.progress.resume(key, () => ({}));
    const st = progress.state;
    const plan = (): Part[] => {
      const full = this.parts(chatId, body, file, pictures, false);
      if (st.withoutChartAt === undefined) return full;
      const rest = { ...body, reply_parameters: st.withoutChartAt === 0 ? body.reply_parameters : undefined };
      return [...full.slice(0, st.withoutChartAt), ...this.parts(chatId, rest, file, [], st.textSentBefore ?? false)];
    };
    let parts = plan();
    try {
      while (progress.sent < parts.length) {
        const part = parts[progress.sent]!;
        let sent: Message | Message[];
        try {
          sent = await part.send();
        } catch (err) {
          const failure = toSendError(err).failure;
          // A picture refused for good (its size, its format): the text and the draft go without the chart.
          if (!part.picture || failure.kind !== "permanent") throw err;
          this.opts.onPictureRefused?.(failure.detail);
          st.withoutChartAt = progress.sent;
          st.textSentBefore = parts.slice(0, progress.sent).some((p) => p.text);
          parts = plan();
          continue;
        }
        const first = Array.isArray(sent) ? sent[0] : sent;
        if (part.text && first) st.messageId = String(first.message_id);
        progress.sent++;
      }
    } catch (err) {
      this.progress.keep(key, progress);
      throw err;
    }
    this.progress.done(key);
    return { messageId: st.messageId, sends: parts.reduce((n, p) => n + p.messages, 0) };
  }

  /**
   * The chat messages of a message with pictures and/or a draft: the pictures first, the text as the first
   * picture's caption when it fits (and no buttons must go with it), else as a message of its own; the draft last,
   * with the text as its caption when there is no picture and it fits. Only the first part replies to the person.
   */
  private parts(chatId: string, body: Body, file: RenderedFile | undefined, pictures: ChartImage[], textSent: boolean): Part[] {
    const parts: Part[] = [];
    let replyParams = body.reply_parameters;
    const reply = () => {
      const r = replyParams;
      replyParams = undefined;
      return r;
    };
    const fits = body.text.length <= CAPTION_LIMIT;
    const inPictures = !textSent && pictures.length > 0 && fits && (!body.reply_markup || pictures.length === 1);
    const inDocument = !textSent && pictures.length === 0 && !!file && fits;
    const textAlone = !textSent && !inPictures && !inDocument;
    albums(pictures).forEach((album, a) => {
      const caption = a > 0 ? undefined : inPictures ? body.text : clip(album[0]!.alt, CAPTION_LIMIT);
      const entities = a === 0 && inPictures ? body.entities : undefined;
      const markup = a === 0 && inPictures ? body.reply_markup : undefined;
      const reply_parameters = reply();
      const text = a === 0 && inPictures;
      if (album.length === 1) {
        const pic = album[0]!;
        parts.push({
          send: () => this.api.sendPhoto(chatId, new InputFile(pic.png, pic.filename), { caption, caption_entities: entities, reply_markup: markup, reply_parameters }),
          text,
          picture: true,
          messages: 1,
        });
        return;
      }
      const media: InputMediaPhoto[] = album.map((pic, i) => ({
        type: "photo",
        media: new InputFile(pic.png, pic.filename),
        ...(i === 0 && caption ? { caption, ...(entities ? { caption_entities: entities } : {}) } : {}),
      }));
      parts.push({ send: () => this.api.sendMediaGroup(chatId, media, { reply_parameters }), text, picture: true, messages: album.length });
    });
    if (textAlone) {
      const reply_parameters = reply();
      parts.push({
        send: () => this.api.sendMessage(chatId, body.text, { entities: body.entities, reply_parameters, reply_markup: body.reply_markup, link_preview_options: { is_disabled: true } }),
        text: true,
        picture: false,
        messages: 1,
      });
    }
    if (file) {
      const caption = inDocument ? body.text : clip(fill(this.opts.messages.draft_caption, { name: file.displayName ?? file.filename }), CAPTION_LIMIT);
      const reply_parameters = reply();
      parts.push({
        send: () =>
          this.api.sendDocument(chatId, new InputFile(file.bytes, file.filename), {
            caption,
            caption_entities: inDocument ? body.entities : undefined,
            reply_markup: inDocument ? body.reply_markup : undefined,
            reply_parameters,
          }),
        text: inDocument,
        picture: false,
        messages: 1,
      });
    }
    return parts;
  }
}

/** The text of a message with what goes with it. */
interface Body {
  text: string;
  entities?: MessageEntity[];
  reply_markup?: InlineKeyboardMarkup | ForceReply;
  reply_parameters?: ReplyParameters;
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
