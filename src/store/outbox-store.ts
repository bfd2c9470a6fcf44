// The outbox table as the drainer sees it: the head of each chat's queue, the claim that makes one drainer the
// sender of a row, the marks a send leaves, the per-chat pace counted from the rows themselves, and pruning.
import type { Platform } from "../core/types.js";
import type { DB } from "./db.js";

/** One queued message, as the drainer reads it. */
export interface OutboxRow {
  id: number;
  platform: Platform;
  chat_id: string;
  payload_json: string;
  attempts: number;
  not_before: number;
  paced: number;
  status: "pending" | "sending";
}

/**
 * How many times each database's queue was moved to another chat id wholesale (a group that became a
 * supergroup), in this process: a drainer that keeps the chats' heads in memory reads the whole queue again
 * when the count moves.
 */
const queueMoves = new WeakMap<DB, number>();

/** Moves a chat's queued rows to its new id, and tells the drainers on this database to look afresh. */
export function moveQueuedRows(db: DB, platform: string, fromChatId: string, toChatId: string): void {
  db.prepare("UPDATE outbox SET chat_id = ? WHERE platform = ? AND chat_id = ? AND status IN ('pending','sending')").run(toChatId, platform, fromChatId);
  queueMoves.set(db, (queueMoves.get(db) ?? 0) + 1);
}

/**
 * The rows queued on each database through this process, newest last: what a drainer that keeps the chats' heads
 * in memory reads to learn of new rows, instead of a range of ids (a rolled-back insert frees its id for the
 * next). Bounded: a drainer that fell behind its start reads the whole queue.
 */
interface QueuedJournal {
  /** Position of entries[0] since the journal began. */
  start: number;
  entries: QueueHead[];
}
const journals = new WeakMap<DB, QueuedJournal>();
const JOURNAL_KEEPS = 20_000;

function journalOf(db: DB): QueuedJournal {
  let j = journals.get(db);
  if (!j) journals.set(db, (j = { start: 0, entries: [] }));
  return j;
}

/** Queues one message (the only way a row enters the outbox); returns its id. */
export function queueMessage(db: DB, insert: { run(...a: unknown[]): { lastInsertRowid: number | bigint } }, row: { platform: string; chatId: string; payloadJson: string; createdAt: number; paced: number }): number {
  const id = Number(insert.run(row.platform, row.chatId, row.payloadJson, row.createdAt, row.paced).lastInsertRowid);
  const j = journalOf(db);
  j.entries.push({ id, platform: row.platform as Platform, chat_id: row.chatId, not_before: 0, paced: row.paced, status: "pending" });
  if (j.entries.length > JOURNAL_KEEPS) {
    const drop = j.entries.length - JOURNAL_KEEPS / 2;
    j.entries.splice(0, drop);
    j.start += drop;
  }
  return id;
}

/** What the drainer keeps in memory of a chat's first queued row (its payload is read when it is claimed). */
export type QueueHead = Pick<OutboxRow, "id" | "platform" | "chat_id" | "not_before" | "paced" | "status">;

/** A send the platform accepted, to be marked in the pass's one transaction. */
export interface SentMark {
  rowId: number;
  sentAt: number;
  messageId?: string;
  /** Chat messages the row became. */
  sends: number;
  /** Kept in bot_messages when the message was sent on someone's behalf or for a purpose (routing replies). */
  botMessage?: { platform: Platform; chatId: string; owner: string | null; purpose: string; questionJson: string | null; resent: boolean };
}

/** The outbox's statements, behind names that say what they do. */
export class OutboxStore {
  private readonly q;
  private readonly markAll: (marks: readonly SentMark[]) => void;
  private readonly inTransaction: (fn: () => unknown) => unknown;

  constructor(private readonly db: DB) {
    this.q = {
      // The first queued row of every chat (the drainer's full look at the queue: at start and now and then).
      heads: db.prepare<[], QueueHead>(
        `SELECT o.id, o.platform, o.chat_id, o.not_before, o.paced, o.status FROM outbox o
          WHERE o.id IN (SELECT min(id) FROM outbox WHERE status IN ('pending','sending') GROUP BY platform, chat_id)`,
      ),
      // Rows written since the drainer last looked, queued or not (the primary key's range, not the whole queue).
      writtenAfter: db.prepare<[number], QueueHead>(
        "SELECT id, platform, chat_id, not_before, paced, status FROM outbox WHERE id > ? ORDER BY id",
      ),
      lastId: db.prepare<[], { id: number | null }>("SELECT max(id) AS id FROM outbox"),
      // One chat's first queued row (the queue index, one seek).
      chatHead: db.prepare<[string, string], QueueHead>(
        `SELECT id, platform, chat_id, not_before, paced, status FROM outbox
          WHERE platform = ? AND chat_id = ? AND status IN ('pending','sending') ORDER BY id LIMIT 1`,
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
      // The claim: only one drainer's UPDATE finds the row still pending, still due, still its chat's and still the
      // first queued row of that chat; it hands back the row as it is now (what the drainer knew was a hint).
      claim: db.prepare<[string, number, string, string, number], OutboxRow>(
        `UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_by = ?
          WHERE id = ? AND platform = ? AND chat_id = ? AND status = 'pending' AND not_before <= ?
            AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.platform = outbox.platform AND p.chat_id = outbox.chat_id
              AND p.status IN ('pending','sending') AND p.id < outbox.id)
          RETURNING id, platform, chat_id, payload_json, attempts - 1 AS attempts, not_before, paced, 'pending' AS status`,
      ),
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
    this.markAll = db.transaction((marks: readonly SentMark[]) => {
      for (const m of marks) {
        this.q.sent.run(m.sentAt, m.messageId ?? null, m.sends, m.rowId);
        const b = m.botMessage;
        if (m.messageId && b) this.q.botMessage.run(b.platform, b.chatId, m.messageId, b.owner, b.purpose, m.sentAt, b.questionJson, b.resent ? 1 : 0);
      }
    });
    this.inTransaction = db.transaction((fn: () => unknown) => fn()).immediate;
  }

  /** The first queued row of every chat. */
  heads(): QueueHead[] {
    return this.q.heads.all();
  }

  /** Rows with an id above `id`, in order, whatever their status (rows written by another connection too). */
  writtenAfter(id: number): QueueHead[] {
    return this.q.writtenAfter.all(id);
  }

  /** The highest row id in the table (0 when empty). */
  lastId(): number {
    return this.q.lastId.get()!.id ?? 0;
  }

  /** Where the journal of queued rows ends now (a drainer reads from there on). */
  journalEnd(): number {
    const j = journalOf(this.db);
    return j.start + j.entries.length;
  }

  /**
   * The rows queued through this process from journal position `from` on, and where the journal ends; undefined
   * when `from` is no longer kept (the caller reads the whole queue). A row of a rolled-back transaction may be
   * among them: its claim fails.
   */
  queuedSince(from: number): { rows: QueueHead[]; end: number } | undefined {
    const j = journalOf(this.db);
    if (from < j.start) return undefined;
    return { rows: j.entries.slice(from - j.start), end: j.start + j.entries.length };
  }

  /** A chat's first queued row, if any. */
  chatHead(platform: Platform, chatId: string): QueueHead | undefined {
    return this.q.chatHead.get(platform, chatId);
  }

  /**
   * Runs a drainer's pass in one transaction (begun for writing at once), so its marks and claims share one
   * commit; the statements above nest in it as savepoints.
   */
  transaction<T>(fn: () => T): T {
    return this.inTransaction(fn) as T;
  }

  /** Chat messages sent to a chat since `since` (ms), with the first and last send time. */
  window(platform: Platform, chatId: string, since: number): { n: number; first: number | null; last: number | null } {
    return this.q.window.get(platform, chatId, since)!;
  }

  /** When the row holding the n-th newest message since `since` was sent. */
  nthNewest(platform: Platform, chatId: string, since: number, n: number): number | undefined {
    return this.q.nth.get(platform, chatId, since, n)?.sent_at;
  }

  /**
   * Claims a chat's head for this drainer: the row as it is now, or undefined when it is no longer pending, due,
   * that chat's, or the first of its chat (another drainer took it, the core dropped it, the chat moved).
   */
  claim(claimId: string, head: Pick<QueueHead, "id" | "platform" | "chat_id">, now: number): OutboxRow | undefined {
    return this.q.claim.get(claimId, head.id, head.platform, head.chat_id, now);
  }

  /** Puts half-sent rows back in the queue; returns how many. */
  recoverInterrupted(): number {
    return this.q.recover.run().changes;
  }

  /** Marks a pass's sends in one transaction (one commit, one fsync, for all of them). */
  markSent(marks: readonly SentMark[]): void {
    if (marks.length > 0) this.markAll(marks);
  }

  retry(id: number, notBefore: number, error: string): void {
    this.q.retry.run(notBefore, error, id);
  }

  failed(id: number, error: string): void {
    this.q.failed.run(error, id);
  }

  dropped(id: number, error: string): void {
    this.q.dropped.run(error, id);
  }

  /** Drops what is queued for chats known to be gone (a read first: the write is rare); returns how many. */
  dropQueuedForGoneChats(): number {
    return this.q.anyGone.get()!.n > 0 ? this.q.dropGone.run().changes : 0;
  }

  /** Moves a chat's queue to its new id (a Telegram group that became a supergroup). */
  moveChat(platform: Platform, fromChatId: string, toChatId: string): void {
    moveQueuedRows(this.db, platform, fromChatId, toChatId);
  }

  /** How many times a chat's queue was moved wholesale on this database (see moveQueuedRows). */
  moves(): number {
    return queueMoves.get(this.db) ?? 0;
  }

  /** Deletes sent rows older than `before`, bot messages older than `messagesBefore`, update keys older than `updatesBefore`. */
  prune(before: number, messagesBefore: number, updatesBefore: Date): void {
    this.q.prune.run(before);
    this.q.pruneMessages.run(messagesBefore);
    this.q.pruneUpdates.run(updatesBefore.toISOString());
  }

  /** Rows not yet sent, and when the oldest of them was queued (ms). */
  pending(): { n: number; oldest: number | null } {
    return this.q.pending.get()!;
  }
}
