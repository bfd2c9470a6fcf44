// Neutral outgoing message → Zalo Bot API calls, and Zalo's errors → the outbox's retry decisions.
// Zalo has no buttons, no replies, no mentions and no file sending: the text is rendered plain (render.ts),
// a draft becomes a link served by the bot itself, and text over 2,000 characters goes out as several
// messages, in order. A failure half-way resumes after the parts already sent (within this process).
import { createHash } from "node:crypto";
import type { RenderedFile } from "../../app/documents.js";
import { SendError, type Payload, type Transport } from "../../app/outbox.js";
import type { Messages } from "../../core/messages.js";
import { ZaloApiError, ZALO_TEXT_LIMIT, type ZaloApi } from "./api.js";
import { renderPlain, splitText } from "./render.js";

export interface ZaloTransportOptions {
  messages: Messages;
  botName: () => string;
  botLink: () => string;
  /** The display name of a person (for naming whom a group message is for); undefined for unknown ids. */
  nameOf: (userId: string) => string | undefined;
  /** Stores a draft and returns its public link. */
  publishFile: (file: RenderedFile) => { url: string; expiresAt: Date };
  groupPerMinute: number;
  groupMinGapMs: number;
  privateMinGapMs: number;
  /** Messages a second across all chats (Zalo publishes no limits; default 5). */
  globalPerSecond?: number;
}

interface Progress {
  sent: number;
  file?: { url: string; expiresAt: Date; name: string };
}

export class ZaloTransport implements Transport {
  readonly platform = "zalo" as const;
  /** Private chats seen in updates; a private chat's id is also its person's id. */
  private readonly privateChats = new Set<string>();
  /** Parts already sent of a message whose delivery failed half-way, so a retry does not repeat them. */
  private readonly progress = new Map<string, Progress>();

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

  async deliver(chatId: string, payload: Payload, file?: RenderedFile): Promise<{ messageId?: string }> {
    // A button acknowledgement has nothing to show on Zalo (and Zalo never sends button presses).
    if (payload.callback && !payload.text) return {};
    const key = createHash("sha256").update(chatId).update("\0").update(JSON.stringify(payload)).digest("base64url");
    const progress = this.progress.get(key) ?? { sent: 0 };
    try {
      if (file && !progress.file) progress.file = { ...this.opts.publishFile(file), name: file.displayName ?? file.filename };
      const parts = this.render(chatId, payload, progress.file);
      let messageId: string | undefined;
      for (let i = progress.sent; i < parts.length; i++) {
        const sent = await this.api.sendMessage(chatId, parts[i]!);
        messageId = sent.message_id ?? messageId;
        progress.sent = i + 1;
      }
      this.progress.delete(key);
      return { messageId };
    } catch (err) {
      this.progress.set(key, progress);
      if (this.progress.size > 1000) this.progress.delete(this.progress.keys().next().value!);
      throw toSendError(err);
    }
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
