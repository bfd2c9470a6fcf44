// The durable outbox: every reply is a row first and an API call second. The drainer claims a row atomically
// before sending it (two drainers never send the same row), sends each chat's messages in order, paced under
// the platform's per-chat limit (counted from the rows themselves, so the pace survives restarts) and under a
// pace shared by all chats of the platform, waits out 429 retry_after for the whole platform, retries network
// errors with backoff, drops what is queued for a chat the bot was removed from, and records the platform's
// message id so later replies to that message can be routed to the right person.
//
// Sends run on while the loop goes on: a chat whose message waits for a long draft holds only its own place in
// line, never the other chats'. The rows started together are claimed in one transaction, with the "sent" marks
// of the sends finished since the last ones were written (at most MARKS_WAIT_MS before): one commit for many
// messages instead of one each.
//
// Delivery is at least once: a message the platform accepted just before a crash, before its row was marked
// sent, is sent again after the restart. The window is the sends under way and those finished in the last
// MARKS_WAIT_MS: at most one message per chat, since a chat waits for its last mark before its next send.
import { randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { ChatGoneReason, Outgoing } from "../core/events.js";
import type { Platform } from "../core/types.js";
import type { OutboxRow as Row, OutboxStore, QueueHead, SentMark } from "../store/outbox-store.js";
import type { ChartImage } from "./charts/chart-service.js";
import { DraftsBusy, type DraftMaker } from "./drafts/draft-maker.js";
import type { RenderedFile } from "./documents.js";
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

/** How long the "sent" marks of finished sends may wait for the claims of the next ones, to share their commit. */
const MARKS_WAIT_MS = 50;

/** Reads the whole queue again at least this often: a safety net for rows moved by another writer. */
const FULL_LOOK_EVERY_MS = 10_000;

const keyOf = (platform: Platform, chatId: string) => `${platform}:${chatId}`;

/**
 * A platform's shared pace opens in steps of this many sends (or its whole pace a second, if smaller). Sends
 * freed one by one would each cost the pass that claims them a commit of its own; a step lets a few go under
 * one commit. It only matters while the pace is spent: an idle platform's pace is wide open.
 */
const PACE_STEP = 4;

/** A sliding one-second window of sends per platform, plus a pause after a 429. */
class PlatformGate {
  private readonly sent: number[] = [];
  pausedUntil = 0;
  /** Sends were taken since the window was last full: it may be filled up. */
  private filling = false;

  /**
   * When the next send may start (≤ now: at once). Once the window was full, it opens again when a step of
   * places is free, not at the first single one; then it may be filled up again.
   */
  readyAt(now: number, perSecond: number | undefined): number {
    while (this.sent.length > 0 && this.sent[0]! <= now - 1000) this.sent.shift();
    let ready = this.pausedUntil;
    if (perSecond !== undefined) {
      if (this.sent.length >= perSecond) this.filling = false;
      if (!this.filling) {
        const step = Math.max(1, Math.min(PACE_STEP, perSecond));
        // The send whose leaving the window frees the step's last place.
        const i = this.sent.length - perSecond + step - 1;
        if (i >= 0) ready = Math.max(ready, this.sent[i]! + 1000);
      }
    }
    return ready;
  }

  take(now: number): void {
    this.sent.push(now);
    this.filling = true;
  }
}

export class OutboxDrainer {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp: () => void = () => {};
  private wakePromise: Promise<void>;
  private readonly inFlight = new Set<string>();
  private readonly gates = new Map<Platform, PlatformGate>();
  /** "Sent" marks of the pass under way, written together when its sends are done. */
  private marks: SentMark[] = [];
  /** When the oldest of `marks` was made (ms). */
  private marksSince = 0;
  /** The chats of `marks`: each waits for its mark to be written before its head is read again. */
  private readonly markedChats = new Set<string>();
  /** Sends under way (each holds its chat in `inFlight`). */
  private readonly sending = new Set<Promise<void>>();
  private readonly opts: Required<Omit<DrainerOptions, "onChatGone">> & Pick<DrainerOptions, "onChatGone">;
  /** Written into each row this drainer claims. */
  readonly claimId = randomBytes(6).toString("hex");
  private lastPrune = 0;
  /**
   * The first queued row of every chat, as this drainer last knew it: a hint that spares each pass a walk of the
   * whole queue (thousands of rows on a busy afternoon). The claim checks it against the table, so a stale hint
   * costs a failed claim and a fresh look, never a wrong or out-of-order send.
   */
  private readonly queue = new Map<string, QueueHead>();
  /** The queue in sending order (due first), rebuilt when it changed. */
  private order: QueueHead[] | null = null;
  /** Where this drainer is in the store's journal of queued rows, and the highest row id it has looked at. */
  private journalAt = 0;
  private seenId = 0;
  /** Chats whose head must be read again (a send of theirs ended, or another drainer holds it). */
  private readonly stale = new Set<string>();
  /** When the whole queue was last read (ms); also read at once after anything that moved rows wholesale. */
  private lastFullLook = -Infinity;
  /** The store's count of wholesale queue moves at the last full look. */
  private movesSeen = 0;
  /**
   * Chats whose own pace is spent, and until when. Only a send can make a chat wait longer, and a chat is never
   * sent to while it waits, so an entry holds until its time; then the pace is counted from the rows again.
   */
  private readonly paceWait = new Map<string, number>();

  constructor(
    private readonly store: OutboxStore,
    private readonly transports: Map<Platform, Transport>,
    private readonly documents: Pick<DraftMaker, "render" | "failureNote" | "charts">,
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
    return this.store.pending().n;
  }

  health(): OutboxHealth {
    const { n, oldest } = this.store.pending();
    return { backlog: n, oldestUnsentSeconds: oldest === null ? null : Math.max(0, Math.round((this.clock.now().getTime() - oldest) / 1000)) };
  }

  /**
   * Puts rows a previous process left half-sent ('sending') back in the queue; they are sent again (the
   * at-least-once window). Only safe while no other drainer runs on the database: the instance lock
   * guarantees that for processes, so start() does it.
   */
  recoverInterrupted(): number {
    return this.store.recoverInterrupted();
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
        // Sends run on while the loop goes on: a chat waiting for a long draft holds only its own place, and the
        // end of any send wakes the loop for what it made due.
        const { sent, nextDueMs } = this.startDue();
        if (sent > 0) continue;
        waitMs = Math.max(5, Math.min(nextDueMs ?? 1000, 1000));
      } catch (err) {
        this.log.error({ err }, "outbox pass failed");
      }
      if (!this.running) break;
      const wake = this.wakePromise;
      // While sends are under way their end wakes the loop; the injected sleep (a simulation may move its clock
      // in it) is for an idle drainer only, so simulated time never runs on while a call is still answering.
      await (this.sending.size > 0 ? realSleep : this.opts.sleep)(waitMs, wake);
      this.wakePromise = this.newWake();
    }
    await Promise.all(this.sending);
    this.flushMarks();
  }

  private gate(platform: Platform): PlatformGate {
    let gate = this.gates.get(platform);
    if (!gate) this.gates.set(platform, (gate = new PlatformGate()));
    return gate;
  }

  /** One round, awaited: sends what is due (one message per chat) and marks those sends in one transaction. */
  async pass(): Promise<{ sent: number; nextDueMs?: number }> {
    const { sent, nextDueMs, sends } = this.startDue();
    await Promise.all(sends);
    this.flushMarks();
    return { sent, nextDueMs };
  }

  /**
   * Starts what is due, one message per chat, up to the concurrency limit (sends still under way count) and the
   * platforms' pace. One transaction holds the pass's writes: the claims of the rows it starts and the "sent"
   * marks of the sends finished since the last written ones (one commit for both); the sends start once it is
   * committed.
   * Its cost follows what changed and what can go, not the queue's length: the chats' heads are kept in memory,
   * a chat waiting for its own pace is skipped without a read, and the rows are read only when claimed.
   */
  private startDue(): { sent: number; nextDueMs?: number; sends: Promise<void>[] } {
    const now = this.clock.now().getTime();
    let nextDue: number | undefined;
    const later = (at: number) => (nextDue = Math.min(nextDue ?? Infinity, at - now));
    const due: Row[] = [];
    const marks = this.marks;
    const markedChats = [...this.markedChats];
    try {
      this.store.transaction(() => {
        this.maybePrune(now);
        if (this.store.dropQueuedForGoneChats() > 0) this.lastFullLook = -Infinity;
        this.refreshQueue(now);
        // A failed claim (a hint gone stale behind the drainer's back) reads the whole queue and goes once more.
        for (let look = 0; look < 2; look++) {
          let stale = false;
          for (const head of this.sendingOrder()) {
            const chatKey = keyOf(head.platform, head.chat_id);
            if (this.inFlight.has(chatKey) || this.markedChats.has(chatKey)) continue;
            // A row another drainer claimed holds its chat's place in line until that drainer is done with it.
            if (head.status === "sending") {
              this.stale.add(chatKey);
              continue;
            }
            if (head.not_before > now) {
              later(head.not_before);
              continue;
            }
            const transport = this.transports.get(head.platform);
            if (!transport) {
              this.store.failed(head.id, `no transport for ${head.platform}`);
              this.stale.add(chatKey);
              continue;
            }
            const gate = this.gate(head.platform);
            if (head.paced) {
              // The platform's pace first: it costs nothing to ask, the chat's own pace is read from its rows.
              const open = gate.readyAt(now, transport.globalPerSecond?.());
              if (open > now) {
                later(open);
                continue;
              }
              const ready = this.paceReadyAt(chatKey, head, now);
              if (ready > now) {
                later(ready);
                continue;
              }
            }
            // Claimed before anything is sent: a row another drainer claimed first, or one no longer this chat's
            // head, is left alone and the queue is read afresh.
            const row = this.store.claim(this.claimId, head, now);
            if (!row) {
              stale = true;
              break;
            }
            head.status = "sending";
            if (row.paced) gate.take(now);
            due.push(row);
            if (due.length + this.sending.size >= this.opts.concurrency) break;
          }
          if (!stale) break;
          this.lastFullLook = -Infinity;
          this.refreshQueue(now);
          later(now);
        }
        // The "sent" marks go with the pass's claims, or wait (up to MARKS_WAIT_MS) for the other sends under way
        // or for claims due by then: a send that ends costs no commit of its own while others are about to. Until
        // its mark is written its chat waits (its row still reads "sending"), so the chat's pace never misses it.
        if (this.marks.length > 0) {
          const deadline = this.marksSince + MARKS_WAIT_MS;
          const soon = now < deadline && (this.sending.size > 0 || (nextDue !== undefined && now + nextDue <= deadline));
          if (due.length > 0 || !soon) {
            this.flushMarks();
            later(now);
          } else later(deadline);
        }
      });
    } catch (err) {
      // Nothing of the pass was committed: its marks wait for the next one, and the queue is read afresh.
      this.marks = marks;
      for (const chatKey of markedChats) this.markedChats.add(chatKey);
      this.lastFullLook = -Infinity;
      throw err;
    }
    const sends = due.map((row) => this.track(this.sendOne(row)));
    return { sent: due.length, nextDueMs: nextDue, sends };
  }

  /**
   * Brings the heads up to date: the whole queue when it is due (at start, now and then, after anything that
   * moved rows wholesale), else the rows queued since the last look (from the store's journal) and the heads of
   * the chats marked stale.
   */
  private refreshQueue(now: number): void {
    const moves = this.store.moves();
    if (now - this.lastFullLook >= FULL_LOOK_EVERY_MS || now < this.lastFullLook || moves !== this.movesSeen) {
      this.lastFullLook = now;
      this.movesSeen = moves;
      this.journalAt = this.store.journalEnd();
      this.seenId = this.store.lastId();
      this.queue.clear();
      this.stale.clear();
      for (const head of this.store.heads()) this.queue.set(keyOf(head.platform, head.chat_id), head);
      this.order = null;
      return;
    }
    const news = this.store.queuedSince(this.journalAt);
    if (!news) {
      this.lastFullLook = -Infinity;
      return this.refreshQueue(now);
    }
    this.journalAt = news.end;
    // The journal knows the rows queued through this process (even under an id a rolled-back insert freed); the
    // id range, rows another connection wrote.
    const written = this.store.writtenAfter(this.seenId);
    if (written.length > 0) this.seenId = written[written.length - 1]!.id;
    for (const row of [...news.rows, ...written]) {
      if (row.status !== "pending" && row.status !== "sending") continue;
      const chatKey = keyOf(row.platform, row.chat_id);
      // A chat already queued keeps its head: the new row waits behind it.
      if (!this.queue.has(chatKey)) {
        this.queue.set(chatKey, { ...row });
        this.order = null;
      }
    }
    for (const chatKey of this.stale) {
      const known = this.queue.get(chatKey);
      // A send still under way, or one whose mark is not written yet, keeps its chat stale until then.
      if (known && (this.inFlight.has(chatKey) || this.markedChats.has(chatKey))) continue;
      this.stale.delete(chatKey);
      if (!known) continue;
      const head = this.store.chatHead(known.platform, known.chat_id);
      if (head) this.queue.set(chatKey, head);
      else this.queue.delete(chatKey);
      this.order = null;
    }
  }

  /** The heads due first (then oldest first), as the pass considers them. */
  private sendingOrder(): QueueHead[] {
    this.order ??= [...this.queue.values()].sort((a, b) => a.not_before - b.not_before || a.id - b.id);
    return this.order;
  }

  /** Keeps a send in `sending` until it settles, then wakes the loop (its chat may have more, its mark is due). */
  private track(send: Promise<void>): Promise<void> {
    const tracked = send.finally(() => {
      this.sending.delete(tracked);
      this.wake();
    });
    this.sending.add(tracked);
    return tracked;
  }

  /** Writes the pass's "sent" marks in one transaction; kept for the next pass if that fails. */
  private flushMarks(): void {
    if (this.marks.length === 0) return;
    const marks = this.marks;
    try {
      this.store.markSent(marks);
      this.marks = [];
      this.markedChats.clear();
    } catch (err) {
      this.log.error({ err, rows: marks.length }, "outbox: could not mark sent messages, trying again next pass");
    }
  }

  /** When the chat may receive its next message, from what was sent in the last minute. */
  private paceReadyAt(chatKey: string, head: QueueHead, now: number): number {
    const waiting = this.paceWait.get(chatKey);
    if (waiting !== undefined && waiting > now) return waiting;
    this.paceWait.delete(chatKey);
    const transport = this.transports.get(head.platform);
    if (!transport) return now;
    const { perMinute, minGapMs } = transport.pacing(head.chat_id);
    const w = this.store.window(head.platform, head.chat_id, now - 60_000);
    let ready = 0;
    if (w.last !== null) ready = w.last + minGapMs;
    if (w.n >= perMinute && w.first !== null) {
      // The oldest message in the window must leave it; with n > perMinute (after a restart) wait longer.
      const nth = this.store.nthNewest(head.platform, head.chat_id, now - 60_000, perMinute);
      ready = Math.max(ready, (nth ?? w.first) + 60_000);
    }
    if (ready > now) this.paceWait.set(chatKey, ready);
    return ready;
  }

  private async sendOne(row: Row): Promise<void> {
    const chatKey = `${row.platform}:${row.chat_id}`;
    const transport = this.transports.get(row.platform)!;
    this.inFlight.add(chatKey);
    try {
      let payload = JSON.parse(row.payload_json) as Payload;
      let file: RenderedFile | undefined;
      if (payload.document) {
        try {
          file = await this.documents.render(payload.document);
        } catch (err) {
          if (err instanceof DraftsBusy) {
            // Every draft maker is busy: the message waits its turn (its chat keeps its place) rather than going
            // out without the draft.
            this.log.warn({ id: row.id }, "drafts busy, the message waits");
            this.store.retry(row.id, this.clock.now().getTime() + 2000, "drafts busy");
            return;
          }
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
        // What a question asked goes with it; `resent` marks a send tried before, whose earlier copy may have
        // reached the person unrecorded (a reply to that copy is then matched to this question).
        if (this.marks.length === 0) this.marksSince = sentAt;
        this.markedChats.add(chatKey);
        this.marks.push({
          rowId: row.id,
          sentAt,
          messageId,
          sends,
          botMessage:
            payload.owner || payload.purpose
              ? {
                  platform: row.platform,
                  chatId: row.chat_id,
                  owner: payload.owner ?? null,
                  purpose: payload.purpose ?? "info",
                  questionJson: payload.question ? JSON.stringify(payload.question) : null,
                  resent: row.attempts > 0,
                }
              : undefined,
        });
      } catch (err) {
        this.onFailure(row, err);
      }
    } finally {
      this.inFlight.delete(chatKey);
      // Sent, retried later or given up: the chat's head is read again by the next pass.
      this.stale.add(chatKey);
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
        this.store.retry(row.id, until, "429");
        return;
      }
      case "migrated":
        this.log.info({ from: row.chat_id, to: failure.toChatId }, "chat migrated");
        this.store.moveChat(row.platform, row.chat_id, failure.toChatId);
        this.store.retry(row.id, now, "migrated");
        return;
      case "gone":
        this.log.warn({ id: row.id, chat: row.chat_id, reason: failure.reason, detail: failure.detail }, "chat out of reach, its queue is dropped");
        this.store.dropped(row.id, `gone: ${failure.reason}`);
        try {
          this.opts.onChatGone?.(row.platform, row.chat_id, failure.reason);
        } catch (hookErr) {
          // The next message to the chat meets the same answer and tells the core again.
          this.log.error({ err: hookErr, chat: row.chat_id }, "could not record that a chat is gone");
        }
        return;
      case "permanent":
        this.log.error({ id: row.id, chat: row.chat_id, detail: failure.detail }, "message rejected");
        this.store.failed(row.id, failure.detail);
        return;
      case "transient": {
        if (row.attempts + 1 >= this.opts.maxAttempts) {
          this.log.error({ id: row.id, chat: row.chat_id, detail: failure.detail, attempts: row.attempts + 1 }, "message given up after retries");
          this.store.failed(row.id, failure.detail);
          return;
        }
        const backoff = Math.min(60_000, 500 * 2 ** row.attempts);
        this.log.warn({ id: row.id, detail: failure.detail, backoff }, "send failed, will retry");
        this.store.retry(row.id, now + backoff, failure.detail.slice(0, 200));
      }
    }
  }

  private maybePrune(now: number): void {
    if (now - this.lastPrune < 3_600_000) return;
    this.lastPrune = now;
    // Platforms redeliver an update for a day at most; a week of keys is plenty to recognise repeats.
    this.store.prune(now - 7 * 86_400_000, now - 60 * 86_400_000, new Date(now - 7 * 86_400_000));
  }
}
