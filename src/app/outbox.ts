// The durable outbox: every reply is a row first and an API call second. The drainer claims a row atomically
// before sending it (two drainers never send the same row), sends each chat's messages in order, paced under
// the platform's per-chat limit (counted from the rows themselves, so the pace survives restarts) and under a
// pace shared by all chats of the platform, waits out 429 retry_after for the whole platform, retries network
// errors with backoff, drops what is queued for a chat the bot was removed from, and records the platform's
// message id so later replies to that message can be routed to the right person.
//
// Delivery is at least once: a message the platform accepted just before a crash, before its row was marked
// sent, is sent again after the restart. The window is one API call per chat being sent at that moment; the
// row is marked sent in its own small transaction the moment the platform answers.
import { randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { ChatGoneReason, Outgoing } from "../core/events.js";
import type { Platform } from "../core/types.js";
import type { DB } from "../store/db.js";
import type { ChartImage } from "./charts/chart-service.js";
import type { DocumentService, RenderedFile } from "./documents.js";
import type { Logger } from "./logger.js";

export type Payload = Omit<Outgoing, "platform" | "chatId">;

/** Why a chat can no longer be written to (the bot was removed, blocked, or the chat does not exist). */
export type GoneReason = ChatGoneReason;

export type SendFailure =
  | { kind: "retry_after"; seconds: number }
  | { kind: "transient"; detail: string }
  | { kind: "permanent"; detail: string }
  | { kind: "migrated"; toChatId: string }
  /** The chat is out of reach for good: its queue is dropped and the core is told once. */
  | { kind: "gone"; reason: GoneReason; detail: string };

export class SendError extends Error {
  constructor(readonly failure: SendFailure) {
    super(`${failure.kind}${"detail" in failure ? `: ${failure.detail}` : ""}`);
  }
}

/** What a delivery carries besides the payload and its document. */
export interface DeliveryExtras {
  /** The chart's pictures (drawn from committed data); absent without a chart, or when it could not be drawn. */
  pictures?: ChartImage[];
  /** The outbox row, the same across retries: a message sent in several parts resumes after those already sent. */
  rowId?: number;
}

/** What the platform answered: the id of the message that carries the text, and how many chat messages went out. */
export interface Delivered {
  messageId?: string;
  /** Chat messages this delivery became (a photo, the text, the draft…); 1 when absent. Counted by the pace. */
  sends?: number;
}

export interface Transport {
  readonly platform: Platform;
  /** How many messages a minute this chat may receive, and the least gap between two. */
  pacing(chatId: string): { perMinute: number; minGapMs: number };
  /** Whether a chat id is a group (true) or a private chat with one person (false). */
  isGroup?(chatId: string): boolean;
  /** Messages a second across all chats of the platform (unlimited when absent). */
  globalPerSecond?(): number;
  /** Sends one message (perhaps as several chat messages, in order); throws SendError. */
  deliver(chatId: string, payload: Payload, file?: RenderedFile, extras?: DeliveryExtras): Promise<Delivered>;
}

interface Row {
  id: number;
  platform: Platform;
  chat_id: string;
  payload_json: string;
  attempts: number;
  not_before: number;
  paced: number;
  status: "pending" | "sending";
}

export interface DrainerOptions {
  concurrency?: number;
  /** Give up on a message after this many failed attempts (network errors only; 429 never gives up). */
  maxAttempts?: number;
  /** Sleep used between passes; a simulation can advance its clock instead of waiting. */
  sleep?: (ms: number, wake: Promise<void>) => Promise<void>;
  /** Told once per send that found the chat gone (the core decides whom to tell). */
  onChatGone?: (platform: Platform, chatId: string, reason: GoneReason) => void;
}

/** What /healthz reports about the outbox. */
export interface OutboxHealth {
  backlog: number;
  /** Age of the oldest message not yet sent, in seconds (null when none waits). */
  oldestUnsentSeconds: number | null;
}

const realSleep = (ms: number, wake: Promise<void>) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    void wake.then(() => {
      clearTimeout(t);
      resolve();
    });
  });

/** A sliding one-second window of sends per platform, plus a pause after a 429. */
class PlatformGate {
  private readonly sent: number[] = [];
  pausedUntil = 0;

  /** When the next send may start (≤ now: at once). */
  readyAt(now: number, perSecond: number | undefined): number {
    while (this.sent.length > 0 && this.sent[0]! <= now - 1000) this.sent.shift();
    let ready = this.pausedUntil;
    if (perSecond !== undefined && this.sent.length >= perSecond) ready = Math.max(ready, this.sent[this.sent.length - perSecond]! + 1000);
    return ready;
  }

  take(now: number): void {
    this.sent.push(now);
  }
}

export class OutboxDrainer {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp: () => void = () => {};
  private wakePromise: Promise<void>;
  private readonly inFlight = new Set<string>();
  private readonly gates = new Map<Platform, PlatformGate>();
  private readonly q;
  private readonly opts: Required<Omit<DrainerOptions, "onChatGone">> & Pick<DrainerOptions, "onChatGone">;
  /** Written into each row this drainer claims. */
  readonly claimId = randomBytes(6).toString("hex");
  private lastPrune = 0;

  constructor(
    private readonly db: DB,
    private readonly transports: Map<Platform, Transport>,
    private readonly documents: DocumentService,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: DrainerOptions = {},
  ) {
    this.opts = {
      concurrency: opts.concurrency ?? 8,
      maxAttempts: opts.maxAttempts ?? 30,
      sleep: opts.sleep ?? realSleep,
      onChatGone: opts.onChatGone,
    };
    this.wakePromise = this.newWake();
    this.q = {
      heads: db.prepare<[], Row>(
        `SELECT o.id, o.platform, o.chat_id, o.payload_json, o.attempts, o.not_before, o.paced, o.status FROM outbox o
          WHERE o.id IN (SELECT min(id) FROM outbox WHERE status IN ('pending','sending') GROUP BY platform, chat_id)
          ORDER BY o.not_before, o.id LIMIT 500`,
      ),
      // A row counts as the chat messages it became (a chart, its text and the draft are two or three).
      window: db.prepare<[string, string, number], { n: number; first: number | null; last: number | null }>(
        `SELECT coalesce(sum(messages), 0) AS n, min(sent_at) AS first, max(sent_at) AS last FROM outbox
          WHERE platform = ? AND chat_id = ? AND paced = 1 AND sent_at > ?`,
      ),
      // The row holding the n-th newest message in the window.
      nth: db.prepare<[string, string, number, number], { sent_at: number }>(
        `SELECT sent_at FROM (SELECT sent_at, sum(messages) OVER (ORDER BY sent_at DESC, id DESC) AS upto FROM outbox
            WHERE platform = ? AND chat_id = ? AND paced = 1 AND sent_at > ?)
          WHERE upto >= ? ORDER BY upto LIMIT 1`,
      ),
      // The claim: only one drainer's UPDATE finds the row still pending.
      claim: db.prepare("UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_by = ? WHERE id = ? AND status = 'pending'"),
      recover: db.prepare("UPDATE outbox SET status = 'pending', claimed_by = NULL WHERE status = 'sending'"),
      sent: db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, messages = ?, error = NULL WHERE id = ?"),
      retry: db.prepare("UPDATE outbox SET status = 'pending', not_before = ?, error = ?, claimed_by = NULL WHERE id = ?"),
      failed: db.prepare("UPDATE outbox SET status = 'failed', error = ? WHERE id = ?"),
      dropped: db.prepare("UPDATE outbox SET status = 'dropped', error = ? WHERE id = ?"),
      // Whatever is still queued for a chat the bot can no longer reach stays, marked with the reason.
      dropGone: db.prepare(
        `UPDATE outbox SET status = 'dropped', error = 'gone: ' || (SELECT reason FROM chat_status c
            WHERE c.platform = outbox.platform AND c.chat_id = outbox.chat_id)
          WHERE status = 'pending' AND EXISTS (SELECT 1 FROM chat_status c
            WHERE c.platform = outbox.platform AND c.chat_id = outbox.chat_id AND c.status = 'gone')`,
      ),
      anyGone: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM (SELECT 1 FROM chat_status WHERE status = 'gone' LIMIT 1)"),
      rechat: db.prepare("UPDATE outbox SET chat_id = ? WHERE platform = ? AND chat_id = ? AND status IN ('pending','sending')"),
      botMessage: db.prepare(
        `INSERT OR REPLACE INTO bot_messages (platform, chat_id, message_id, owner_user_id, purpose, created_at, question_json, resent)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      prune: db.prepare("DELETE FROM outbox WHERE status IN ('sent','dropped') AND coalesce(sent_at, created_at) < ?"),
      pruneMessages: db.prepare("DELETE FROM bot_messages WHERE created_at < ?"),
      // Platforms redeliver an update for a day at most; a week of keys is plenty to recognise repeats.
      pruneUpdates: db.prepare("DELETE FROM processed_updates WHERE processed_at < ?"),
      pending: db.prepare<[], { n: number; oldest: number | null }>(
        "SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE status IN ('pending','sending')",
      ),
    };
  }

  private newWake(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeUp = resolve;
    });
  }

  wake(): void {
    this.wakeUp();
  }

  pendingCount(): number {
    return this.q.pending.get()!.n;
  }

  health(): OutboxHealth {
    const { n, oldest } = this.q.pending.get()!;
    return { backlog: n, oldestUnsentSeconds: oldest === null ? null : Math.max(0, Math.round((this.clock.now().getTime() - oldest) / 1000)) };
  }

  /**
   * Puts rows a previous process left half-sent ('sending') back in the queue; they are sent again (the
   * at-least-once window). Only safe while no other drainer runs on the database: the instance lock
   * guarantees that for processes, so start() does it.
   */
  recoverInterrupted(): number {
    return this.q.recover.run().changes;
  }

  start(): void {
    if (this.running) return;
    const recovered = this.recoverInterrupted();
    if (recovered > 0) this.log.warn({ rows: recovered }, "outbox: sending again messages interrupted by the last stop");
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the sends in flight finish; unsent rows stay for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let waitMs = 1000;
      try {
        const { sent, nextDueMs } = await this.pass();
        if (sent > 0) continue;
        waitMs = Math.max(5, Math.min(nextDueMs ?? 1000, 1000));
      } catch (err) {
        this.log.error({ err }, "outbox pass failed");
      }
      if (!this.running) break;
      const wake = this.wakePromise;
      await this.opts.sleep(waitMs, wake);
      this.wakePromise = this.newWake();
    }
  }

  private gate(platform: Platform): PlatformGate {
    let gate = this.gates.get(platform);
    if (!gate) this.gates.set(platform, (gate = new PlatformGate()));
    return gate;
  }

  /** One round: send what is due, one message per chat, up to the concurrency limit and the platforms' pace. */
  async pass(): Promise<{ sent: number; nextDueMs?: number }> {
    const now = this.clock.now().getTime();
    this.maybePrune(now);
    // A read first: the write is needed only while some chat is gone, which is rare.
    if (this.q.anyGone.get()!.n > 0) this.q.dropGone.run();
    let nextDue: number | undefined;
    const later = (at: number) => (nextDue = Math.min(nextDue ?? Infinity, at - now));
    const due: Row[] = [];
    for (const row of this.q.heads.all()) {
      const chatKey = `${row.platform}:${row.chat_id}`;
      // A row another drainer claimed holds its chat's place in line until that drainer is done with it.
      if (this.inFlight.has(chatKey) || row.status === "sending") continue;
      const ready = Math.max(row.not_before, row.paced ? this.paceReadyAt(row, now) : 0);
      if (ready > now) {
        later(ready);
        continue;
      }
      if (row.paced) {
        const gate = this.gate(row.platform);
        const open = gate.readyAt(now, this.transports.get(row.platform)?.globalPerSecond?.());
        if (open > now) {
          later(open);
          continue;
        }
        gate.take(now);
      }
      due.push(row);
      if (due.length >= this.opts.concurrency) break;
    }
    await Promise.all(due.map((row) => this.sendOne(row)));
    return { sent: due.length, nextDueMs: nextDue };
  }

  /** When the chat may receive its next message, from what was sent in the last minute. */
  private paceReadyAt(row: Row, now: number): number {
    const transport = this.transports.get(row.platform);
    if (!transport) return now;
    const { perMinute, minGapMs } = transport.pacing(row.chat_id);
    const w = this.q.window.get(row.platform, row.chat_id, now - 60_000)!;
    let ready = 0;
    if (w.last !== null) ready = w.last + minGapMs;
    if (w.n >= perMinute && w.first !== null) {
      // The oldest message in the window must leave it; with n > perMinute (after a restart) wait longer.
      const nth = this.q.nth.get(row.platform, row.chat_id, now - 60_000, perMinute);
      ready = Math.max(ready, (nth?.sent_at ?? w.first) + 60_000);
    }
    return ready;
  }

  private async sendOne(row: Row): Promise<void> {
    const chatKey = `${row.platform}:${row.chat_id}`;
    const transport = this.transports.get(row.platform);
    if (!transport) {
      this.q.failed.run(`no transport for ${row.platform}`, row.id);
      return;
    }
    // Claimed before anything else: a drainer that loses the race leaves the row alone.
    if (this.q.claim.run(this.claimId, row.id).changes !== 1) return;
    this.inFlight.add(chatKey);
    try {
      let payload = JSON.parse(row.payload_json) as Payload;
      let file: RenderedFile | undefined;
      if (payload.document) {
        try {
          file = await this.documents.render(payload.document);
        } catch (err) {
          // The summary still goes out, saying the draft could not be made, rather than nothing at all.
          this.log.error({ err, id: row.id }, "draft generation failed");
          payload = { ...payload, text: `${payload.text}\n${this.documents.failureNote(payload.document)}`, document: undefined };
        }
      }
      let pictures: ChartImage[] | undefined;
      if (payload.chart) {
        try {
          pictures = await this.documents.charts.images(payload.chart);
        } catch (err) {
          // The chart shows figures the text already states: the message goes out without it.
          this.log.error({ err, id: row.id }, "chart drawing failed, the message goes without it");
        }
      }
      try {
        const { messageId, sends = 1 } = await transport.deliver(row.chat_id, payload, file, { pictures, rowId: row.id });
        const sentAt = this.clock.now().getTime();
        // The platform-wide pace counts every chat message the row became (its first was counted when claimed).
        if (row.paced) for (let i = 1; i < sends; i++) this.gate(row.platform).take(sentAt);
        this.db.transaction(() => {
          this.q.sent.run(sentAt, messageId ?? null, sends, row.id);
          if (messageId && (payload.owner || payload.purpose)) {
            // What a question asked goes with it; `resent` marks a send tried before, whose earlier copy may
            // have reached the person unrecorded (a reply to that copy is then matched to this question).
            const question = payload.question ? JSON.stringify(payload.question) : null;
            this.q.botMessage.run(row.platform, row.chat_id, messageId, payload.owner ?? null, payload.purpose ?? "info", sentAt, question, row.attempts > 0 ? 1 : 0);
          }
        })();
      } catch (err) {
        this.onFailure(row, err);
      }
    } finally {
      this.inFlight.delete(chatKey);
    }
  }

  private onFailure(row: Row, err: unknown): void {
    const now = this.clock.now().getTime();
    const failure: SendFailure = err instanceof SendError ? err.failure : { kind: "transient", detail: String(err) };
    switch (failure.kind) {
      case "retry_after": {
        // Telegram does not say whether the chat's limit or the bot's was hit: every chat of the platform waits.
        const until = now + failure.seconds * 1000;
        const gate = this.gate(row.platform);
        gate.pausedUntil = Math.max(gate.pausedUntil, until);
        this.log.warn({ id: row.id, chat: row.chat_id, seconds: failure.seconds }, "rate limited, every chat of the platform waits");
        this.q.retry.run(until, "429", row.id);
        return;
      }
      case "migrated":
        this.log.info({ from: row.chat_id, to: failure.toChatId }, "chat migrated");
        this.q.rechat.run(failure.toChatId, row.platform, row.chat_id);
        this.q.retry.run(now, "migrated", row.id);
        return;
      case "gone":
        this.log.warn({ id: row.id, chat: row.chat_id, reason: failure.reason, detail: failure.detail }, "chat out of reach, its queue is dropped");
        this.q.dropped.run(`gone: ${failure.reason}`, row.id);
        try {
          this.opts.onChatGone?.(row.platform, row.chat_id, failure.reason);
        } catch (hookErr) {
          // The next message to the chat meets the same answer and tells the core again.
          this.log.error({ err: hookErr, chat: row.chat_id }, "could not record that a chat is gone");
        }
        return;
      case "permanent":
        this.log.error({ id: row.id, chat: row.chat_id, detail: failure.detail }, "message rejected");
        this.q.failed.run(failure.detail, row.id);
        return;
      case "transient": {
        if (row.attempts + 1 >= this.opts.maxAttempts) {
          this.log.error({ id: row.id, chat: row.chat_id, detail: failure.detail, attempts: row.attempts + 1 }, "message given up after retries");
          this.q.failed.run(failure.detail, row.id);
          return;
        }
        const backoff = Math.min(60_000, 500 * 2 ** row.attempts);
        this.log.warn({ id: row.id, detail: failure.detail, backoff }, "send failed, will retry");
        this.q.retry.run(now + backoff, failure.detail.slice(0, 200), row.id);
      }
    }
  }

  private maybePrune(now: number): void {
    if (now - this.lastPrune < 3_600_000) return;
    this.lastPrune = now;
    this.q.prune.run(now - 7 * 86_400_000);
    this.q.pruneMessages.run(now - 60 * 86_400_000);
    this.q.pruneUpdates.run(new Date(now - 7 * 86_400_000).toISOString());
  }
}
