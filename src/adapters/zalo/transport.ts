// Neutral outgoing message → Zalo Bot API calls, and Zalo's errors → the outbox's retry decisions.
// Zalo has no buttons, no replies, no mentions and no file sending: the text is rendered plain (render.ts),
// a draft becomes a link served by the bot itself, and text over 2,000 characters goes out as several
// messages, in order. A chart goes as photos by URL (sendPhoto), served the same way: the text rides as the
// last photo's caption when it fits in one message, else it follows the photos. A failure half-way resumes
// after the parts already sent (within this process); a photo Zalo refuses leaves the text to go without it.
import type { ChartImage } from "../../app/charts/chart-service.js";
import type { RenderedFile } from "../../app/documents.js";
import { SendError, type Delivered, type DeliveryExtras, type Payload, type Transport } from "../../app/outbox.js";
import { SendProgress } from "../../app/send-progress.js";
import type { Messages } from "../../core/messages.js";
import { ZaloApiError, ZALO_TEXT_LIMIT, type ZaloApi } from "./api.js";
import { renderPlain, splitText } from "./render.js";

export interface ZaloTransportOptions {
  messages: Messages;
  botName: () => string;
  botLink: () => string;
  /** The display name of a person (for naming whom a group message is for); undefined for unknown ids. */
  nameOf: (userId: string) => string | undefined;
  /** Stores a draft or a chart's picture and returns its public link. */
  publishFile: (file: RenderedFile) => { url: string; expiresAt: Date };
  /** Told when a photo was refused and the message went without it. */
  onPictureRefused?: (detail: string) => void;
  groupPerMinute: number;
  groupMinGapMs: number;
  privateMinGapMs: number;
  /** Messages a second across all chats (Zalo publishes no limits; default 5). */
  globalPerSecond?: number;
}

/** What a delivery published once, however often it is retried, and where it gave up the chart. */
interface PartsState {
  file?: { url: string; expiresAt: Date; name: string };
  /** The chart's pictures' links, in order. */
  photos?: string[];
  /** Where the chart was given up (Zalo refused a photo): the parts after it are the text alone. */
  withoutChartAt?: number;
  messageId?: string;
}

/** One chat message of a delivery. */
interface Part {
  send: () => Promise<{ message_id?: string }>;
  /** It carries (the start of) the text: its id is the one recorded. */
  text: boolean;
  photo: boolean;
}

export class ZaloTransport implements Transport {
  readonly platform = "zalo" as const;
  /** Private chats seen in updates; a private chat's id is also its person's id. */
  private readonly privateChats = new Set<string>();
  /** Parts already sent of a message whose delivery failed half-way, so a retry does not repeat them. */
  private readonly progress = new SendProgress<PartsState>();

  constructor(
    private readonly api: ZaloApi,
    private readonly opts: ZaloTransportOptions,
  ) {}

  notePrivateChat(chatId: string): void {
    this.privateChats.add(chatId);
  }

  /** A private chat's id is its person's id: known from updates, from the payload, or from the people stored. */
  private isPrivate(chatId: string, payload?: Payload): boolean {
    if (this.privateChats.has(chatId) || (payload?.owner !== undefined && payload.owner === chatId)) return true;
    if (this.opts.nameOf(chatId) === undefined) return false;
    this.privateChats.add(chatId);
    return true;
  }

  isGroup(chatId: string): boolean {
    return !this.isPrivate(chatId);
  }

  globalPerSecond(): number {
    return this.opts.globalPerSecond ?? 5;
  }

  pacing(chatId: string) {
    // Zalo publishes no rate limits; a group gets the same polite pace as on Telegram.
    return this.isPrivate(chatId)
      ? { perMinute: 60, minGapMs: this.opts.privateMinGapMs }
      : { perMinute: this.opts.groupPerMinute, minGapMs: this.opts.groupMinGapMs };
  }

  /** The texts one outgoing message becomes, each within the limit. */
  render(chatId: string, payload: Payload, file?: { url: string; expiresAt: Date; name: string }): string[] {
    const owner = payload.owner;
    const addressee = !this.isPrivate(chatId, payload) && owner ? (payload.mention?.name ?? this.opts.nameOf(owner)) : undefined;
    const text = renderPlain(payload, {
      messages: this.opts.messages,
      botName: this.opts.botName(),
      botLink: this.opts.botLink(),
      addressee,
      file,
    });
    return splitText(text, ZALO_TEXT_LIMIT);
  }

  async deliver(chatId: string, payload: Payload, file?: RenderedFile, extras: DeliveryExtras = {}): Promise<Delivered> {
    // A button acknowledgement has nothing to show on Zalo (and Zalo never sends button presses).
    if (payload.callback && !payload.text) return {};
    const key = this.progress.key(chatId, payload, extras.rowId);
    const progress = this.progress.resume(key, () => ({}));
    const st = progress.state;
    const pictures = extras.pictures ?? [];
    try {
      if (file && !st.file) st.file = { ...this.opts.publishFile(file), name: file.displayName ?? file.filename };
      st.photos ??= pictures.map((p) => this.opts.publishFile({ filename: p.filename, bytes: p.png }).url);
      const texts = this.render(chatId, payload, st.file);
      const plan = () => {
        const full = this.parts(chatId, texts, pictures, st.photos!);
        return st.withoutChartAt === undefined ? full : [...full.slice(0, st.withoutChartAt), ...this.parts(chatId, texts, [], [])];
      };
      let parts = plan();
      while (progress.sent < parts.length) {
        const part = parts[progress.sent]!;
        let sent: { message_id?: string };
        try {
          sent = await part.send();
        } catch (err) {
          const failure = toSendError(err).failure;
          // A photo refused for good (Zalo could not fetch or read it): the text goes without the chart.
          if (!part.photo || failure.kind !== "permanent") throw err;
          this.opts.onPictureRefused?.(failure.detail);
          st.withoutChartAt = progress.sent;
          parts = plan();
          continue;
        }
        if (part.text && sent.message_id) st.messageId = sent.message_id;
        progress.sent++;
      }
      this.progress.done(key);
      return { messageId: st.messageId, sends: parts.length };
    } catch (err) {
      this.progress.keep(key, progress);
      throw toSendError(err);
    }
  }

  /**
   * The chat messages of a message: the chart's photos first (each captioned with what it shows), the text as
   * the last photo's caption when it is one message, else the text's messages after the photos.
   */
  private parts(chatId: string, texts: string[], pictures: ChartImage[], urls: string[]): Part[] {
    const inPhoto = pictures.length > 0 && texts.length === 1;
    const parts: Part[] = pictures.map((pic, i) => {
      const caption = inPhoto && i === pictures.length - 1 ? texts[0]! : pic.alt.slice(0, ZALO_TEXT_LIMIT);
      return { send: () => this.api.sendPhoto(chatId, urls[i]!, caption), text: inPhoto && i === pictures.length - 1, photo: true };
    });
    if (!inPhoto) for (const text of texts) parts.push({ send: () => this.api.sendMessage(chatId, text), text: true, photo: false });
    return parts;
  }
}

export function toSendError(err: unknown): SendError {
  if (err instanceof ZaloApiError) {
    if (err.errorCode === 429) return new SendError({ kind: "retry_after", seconds: err.retryAfter ?? 5 });
    // The docs list 403 among the server's own errors: it is retried with backoff, never taken as final.
    if (err.errorCode >= 500 || err.errorCode === 403 || err.errorCode === 408 || err.errorCode === 0) {
      return new SendError({ kind: "transient", detail: `${err.errorCode} ${err.description}` });
    }
    return new SendError({ kind: "permanent", detail: `${err.errorCode} ${err.description}` });
  }
  return new SendError({ kind: "transient", detail: err instanceof Error ? err.message : String(err) });
}
