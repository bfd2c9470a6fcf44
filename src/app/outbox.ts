// The durable outbox: every reply is a row first and an API call second. The drainer sends each chat's
// messages in order, paced under the platform's per-chat limit (counted from the rows themselves, so the
// pace survives restarts), waits out 429 retry_after, retries network errors with backoff, and records the
// platform's message id so later replies to that message can be routed to the right person.
import type { Clock } from "../core/clock.js";
import type { Outgoing } from "../core/events.js";
import type { Platform } from "../core/types.js";
import type { DB } from "../store/db.js";
import type { DocumentService, RenderedFile } from "./documents.js";
import type { Logger } from "./logger.js";

export type Payload = Omit<Outgoing, "platform" | "chatId">;

export type SendFailure =
  | { kind: "retry_after"; seconds: number }
  | { kind: "transient"; detail: string }
  | { kind: "permanent"; detail: string }
  | { kind: "migrated"; toChatId: string };

export class SendError extends Error {
  constructor(readonly failure: SendFailure) {
    super(`${failure.kind}${"detail" in failure ? `: ${failure.detail}` : ""}`);
  }
}

export interface Transport {
  readonly platform: Platform;
  /** How many messages a minute this chat may receive, and the least gap between two. */
  pacing(chatId: string): { perMinute: number; minGapMs: number };
  /** Sends one message; throws SendError. Returns the platform's message id when there is one. */
  deliver(chatId: string, payload: Payload, file?: RenderedFile): Promise<{ messageId?: string }>;
}

interface Row {
  id: number;
  platform: Platform;
  chat_id: string;
  payload_json: string;
  attempts: number;
  not_before: number;
  paced: number;
}

export interface DrainerOptions {
  concurrency?: number;
  /** Give up on a message after this many failed attempts (network errors only; 429 never gives up). */
  maxAttempts?: number;
  /** Sleep used between passes; a simulation can advance its clock instead of waiting. */
  sleep?: (ms: number, wake: Promise<void>) => Promise<void>;
}

const realSleep = (ms: number, wake: Promise<void>) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    void wake.then(() => {
      clearTimeout(t);
      resolve();
    });
  });

export class OutboxDrainer {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp: () => void = () => {};
  private wakePromise: Promise<void>;
  private readonly inFlight = new Set<string>();
  private readonly q;
  private readonly opts: Required<DrainerOptions>;
  private lastPrune = 0;

  constructor(
    private readonly db: DB,
    private readonly transports: Map<Platform, Transport>,
    private readonly documents: DocumentService,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: DrainerOptions = {},
  ) {
    this.opts = { concurrency: opts.concurrency ?? 8, maxAttempts: opts.maxAttempts ?? 30, sleep: opts.sleep ?? realSleep };
    this.wakePromise = this.newWake();
    this.q = {
      heads: db.prepare<[], Row>(
        `SELECT o.id, o.platform, o.chat_id, o.payload_json, o.attempts, o.not_before, o.paced FROM outbox o
          WHERE o.id IN (SELECT min(id) FROM outbox WHERE status IN ('pending','sending') GROUP BY platform, chat_id)
          ORDER BY o.not_before, o.id LIMIT 500`,
      ),
      window: db.prepare<[string, string, number], { n: number; first: number | null; last: number | null }>(
        `SELECT count(*) AS n, min(sent_at) AS first, max(sent_at) AS last FROM outbox
          WHERE platform = ? AND chat_id = ? AND paced = 1 AND sent_at > ?`,
      ),
      sending: db.prepare("UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ?"),
      sent: db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, error = NULL WHERE id = ?"),
      retry: db.prepare("UPDATE outbox SET status = 'pending', not_before = ?, error = ? WHERE id = ?"),
      failed: db.prepare("UPDATE outbox SET status = 'failed', error = ? WHERE id = ?"),
      rechat: db.prepare("UPDATE outbox SET chat_id = ? WHERE platform = ? AND chat_id = ? AND status IN ('pending','sending')"),
      botMessage: db.prepare(
        "INSERT OR REPLACE INTO bot_messages (platform, chat_id, message_id, owner_user_id, purpose, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      prune: db.prepare("DELETE FROM outbox WHERE status = 'sent' AND sent_at < ?"),
      pruneMessages: db.prepare("DELETE FROM bot_messages WHERE created_at < ?"),
      // Platforms redeliver an update for a day at most; a week of keys is plenty to recognise repeats.
      pruneUpdates: db.prepare("DELETE FROM processed_updates WHERE processed_at < ?"),
      pending: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE status IN ('pending','sending')"),
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

  start(): void {
    if (this.running) return;
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

  /** One round: send what is due, one message per chat, up to the concurrency limit. */
  async pass(): Promise<{ sent: number; nextDueMs?: number }> {
    const now = this.clock.now().getTime();
    this.maybePrune(now);
    let nextDue: number | undefined;
    const due: Row[] = [];
    for (const row of this.q.heads.all()) {
      const chatKey = `${row.platform}:${row.chat_id}`;
      if (this.inFlight.has(chatKey)) continue;
      const ready = Math.max(row.not_before, row.paced ? this.paceReadyAt(row, now) : 0);
      if (ready > now) {
        nextDue = Math.min(nextDue ?? Infinity, ready - now);
        continue;
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
      const rows = this.db
        .prepare<[string, string, number, number], { sent_at: number }>(
          `SELECT sent_at FROM outbox WHERE platform = ? AND chat_id = ? AND paced = 1 AND sent_at > ?
            ORDER BY sent_at DESC LIMIT 1 OFFSET ?`,
        )
        .get(row.platform, row.chat_id, now - 60_000, perMinute - 1);
      ready = Math.max(ready, (rows?.sent_at ?? w.first) + 60_000);
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
      this.q.sending.run(row.id);
      try {
        const { messageId } = await transport.deliver(row.chat_id, payload, file);
        const sentAt = this.clock.now().getTime();
        this.db.transaction(() => {
          this.q.sent.run(sentAt, messageId ?? null, row.id);
          if (messageId && (payload.owner || payload.purpose)) {
            this.q.botMessage.run(row.platform, row.chat_id, messageId, payload.owner ?? null, payload.purpose ?? "info", sentAt);
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
      case "retry_after":
        this.log.warn({ id: row.id, chat: row.chat_id, seconds: failure.seconds }, "rate limited, waiting");
        this.q.retry.run(now + failure.seconds * 1000, "429", row.id);
        return;
      case "migrated":
        this.log.info({ from: row.chat_id, to: failure.toChatId }, "chat migrated");
        this.q.rechat.run(failure.toChatId, row.platform, row.chat_id);
        this.q.retry.run(now, "migrated", row.id);
        return;
      case "permanent":
        this.log.error({ id: row.id, chat: row.chat_id, detail: failure.detail }, "message rejected");
        this.q.failed.run(failure.detail, row.id);
        return;
      case "transient": {
        if (row.attempts + 1 >= this.opts.maxAttempts) {
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
