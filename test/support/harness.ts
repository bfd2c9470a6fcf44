// An in-process bot for conversation tests: the real core, store and outbox on an in-memory database,
// with a recording transport instead of a chat platform.
import { readFileSync } from "node:fs";
import { ManualClock } from "../../src/core/clock.js";
import { createCore, type Core, type CoreOptions } from "../../src/app/create-core.js";
import type { WebOptions } from "../../src/app/event-handler.js";
import { silentLogger } from "../../src/app/logger.js";
import { SendError, type OutboxDrainer, type Payload, type Transport } from "../../src/app/outbox.js";
import type { RenderedFile } from "../../src/app/documents.js";
import type { InboundEvent } from "../../src/core/events.js";
import { importUnits, readUnitsCsv } from "../../src/store/units.js";
import { SAMPLE_UNITS } from "../../src/paths.js";
import { MONTHLY_PROMPTS } from "./monthly-prompts.js";
import type { Messages } from "../../src/core/messages.js";
import { textWithButtons } from "../../src/adapters/button-text.js";

export interface Sent extends Payload {
  chatId: string;
  messageId: string;
  file?: RenderedFile;
  /** The core's text alone, without the lines a platform adds from the question (how to answer, the footer). */
  body: string;
}

/** Records what would be sent; `text` is the text as Telegram shows it (body, how to answer a choice, footer). */
export class RecordingTransport implements Transport {
  readonly platform = "telegram" as const;
  readonly sent: Sent[] = [];
  private next = 1000;
  private loseReceipts = 0;
  constructor(private readonly messages: Messages) {}
  pacing() {
    return { perMinute: 1_000_000, minGapMs: 0 };
  }
  /** The next sends reach the chat but their answer is lost (as when the bot stops right after sending). */
  loseNextReceipts(n = 1): void {
    this.loseReceipts = n;
  }
  async deliver(chatId: string, payload: Payload, file?: RenderedFile) {
    const messageId = String(this.next++);
    this.sent.push({ ...payload, body: payload.text, text: textWithButtons(payload, this.messages), chatId, messageId, file });
    if (this.loseReceipts > 0) {
      this.loseReceipts--;
      throw new SendError({ kind: "transient", detail: "connection lost after sending" });
    }
    return { messageId };
  }
}

export interface Who {
  id: string;
  name: string;
}

export const GROUP = "-100500";

export class Harness {
  readonly clock: ManualClock;
  readonly core: Core;
  readonly transport: RecordingTransport;
  readonly drainer: OutboxDrainer;
  private seq = 0;
  private token = 0;

  constructor(now = "2026-11-10T09:00:00+07:00", databasePath = ":memory:", web?: WebOptions, promptsDir = MONTHLY_PROMPTS, drafts?: CoreOptions["drafts"]) {
    this.clock = new ManualClock(now);
    this.core = createCore({
      databasePath,
      promptsDir,
      clock: this.clock,
      log: silentLogger,
      newToken: () => `tok${++this.token}`,
      web,
      drafts,
    });
    this.transport = new RecordingTransport(this.core.prompts.messages);
    importUnits(this.core.db, readUnitsCsv(readFileSync(SAMPLE_UNITS, "utf8")));
    this.drainer = this.core.startOutbox([this.transport], { sleep: async () => {} });
    void this.drainer.stop();
  }

  /** Grants a role directly (what an invite code would do). */
  grant(who: Who, role: string, unit: string): void {
    this.core.db
      .prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at) VALUES ('telegram', ?, ?, ?, ?)")
      .run(who.id, role, unit, this.clock.now().toISOString());
  }

  link(chatId: string, unit: string): void {
    this.core.db
      .prepare("INSERT OR REPLACE INTO chats (platform, chat_id, unit_code, linked_by, linked_at) VALUES ('telegram', ?, ?, 'test', ?)")
      .run(chatId, unit, this.clock.now().toISOString());
  }

  /** The last question the bot asked this person in this chat, for replying to it. */
  lastQuestionTo(who: Who, chatId = GROUP): Sent | undefined {
    return [...this.transport.sent].reverse().find((s) => s.chatId === chatId && s.owner === who.id && s.purpose === "question");
  }

  async send(ev: Omit<InboundEvent, "updateKey" | "platform"> & { updateKey?: string }): Promise<Sent[]> {
    const before = this.transport.sent.length;
    this.core.handler.handle({ platform: "telegram", updateKey: ev.updateKey ?? `u${++this.seq}`, ...ev });
    await this.flush();
    return this.transport.sent.slice(before);
  }

  /** Sends what is due in the outbox; a retry waiting out its backoff goes when the clock is moved on to it. */
  async flush(): Promise<void> {
    for (let i = 0; i < 50 && this.drainer.pendingCount() > 0; i++) {
      const { sent, nextDueMs } = await this.drainer.pass();
      if (sent === 0 && nextDueMs !== undefined) this.clock.advance(nextDueMs);
    }
  }

  /** A person types in the group; by default as a reply to the bot's last question to them. */
  async say(who: Who, text: string, opts: { chatId?: string; reply?: boolean | string } = {}): Promise<Sent[]> {
    const chatId = opts.chatId ?? GROUP;
    const type = chatId.startsWith("-") ? "group" : "private";
    const q = opts.reply === false ? undefined : typeof opts.reply === "string" ? opts.reply : this.lastQuestionTo(who, chatId)?.messageId;
    return this.send({
      chat: { id: chatId, type },
      from: who,
      messageId: `m${++this.seq}`,
      replyTo: q && !text.startsWith("/") ? { messageId: q, fromBot: true } : undefined,
      body: { kind: "text", text },
    });
  }

  async press(who: Who, messageId: string, data: string, chatId = GROUP): Promise<Sent[]> {
    return this.send({
      chat: { id: chatId, type: chatId.startsWith("-") ? "group" : "private" },
      from: who,
      body: { kind: "choice", data, messageId, callbackId: `cb${++this.seq}` },
    });
  }

  /** Texts of chat messages (not button acknowledgements). */
  static texts(sent: Sent[]): string[] {
    return sent.filter((s) => s.text).map((s) => s.text);
  }

  answers(unit: string, period: string): Record<string, unknown> {
    const rows = this.core.db
      .prepare<[string, string], { field_id: string; value_json: string | null }>(
        "SELECT field_id, value_json FROM answers WHERE unit_code = ? AND period_key = ?",
      )
      .all(unit, period);
    return Object.fromEntries(rows.map((r) => [r.field_id, r.value_json === null ? null : JSON.parse(r.value_json)]));
  }

  close(): void {
    this.core.close();
  }
}

/** The default form answered in Vietnamese styles, the way a leader would type it. */
export const FULL_FORM_ANSWERS = [
  "12 buoi 3.850 nguoi",
  "1",
  "15 vụ, thành 10, không thành 5",
  "có",
  "2 điểm, 5 đại biểu, 454 cử tri, 34 lượt phát biểu, 72 kiến nghị",
  "vận động 15 triệu, chi 10tr, giúp 12 hộ",
  "92,5%",
  "1 cuộc giám sát, 5 lượt tiếp dân, 3 đơn, đã xử lý 2",
  "Kinh phí hoạt động còn hạn chế",
  "không",
];
