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
  private readonly claimAll: (claimId: string, ids: readonly number[]) => number[];
  private readonly inTransaction: (fn: () => unknown) => unknown;

  constructor(private readonly db: DB) {
    this.q = {
      heads: db.prepare<[], OutboxRow>(
        `SELECT o.id, o.platform, o.chat_id, o.payload_json, o.attempts, o.not_before, o.paced, o.status FROM outbox o
          WHERE o.id IN (SELECT min(id) FROM outbox WHERE status IN ('pending','sending') GROUP BY platform, chat_id)
          ORDER BY o.not_before, o.id LIMIT 500`,
      ),
      // The same for one platform (its part of the queue index only).
      platformHeads: db.prepare<[string, string], OutboxRow>(
        `SELECT o.id, o.platform, o.chat_id, o.payload_json, o.attempts, o.not_before, o.paced, o.status FROM outbox o
          WHERE o.id IN (SELECT min(id) FROM outbox WHERE status IN ('pending','sending') AND platform = ? GROUP BY platform, chat_id)
            AND o.platform = ?
          ORDER BY o.not_before, o.id LIMIT 500`,
      ),
      // The heads that are callback answers (not paced), for a pass whose platforms' shared pace is spent: a
      // small index holds them, and each is a head only if nothing older is queued for its chat.
      unpacedHeads: db.prepare<[], OutboxRow>(
        `SELECT o.id, o.platform, o.chat_id, o.payload_json, o.attempts, o.not_before, o.paced, o.status FROM outbox o
          WHERE o.status IN ('pending','sending') AND o.paced = 0
            AND o.id = (SELECT min(id) FROM outbox WHERE status IN ('pending','sending') AND platform = o.platform AND chat_id = o.chat_id)
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
    this.markAll = db.transaction((marks: readonly SentMark[]) => {
      for (const m of marks) {
        this.q.sent.run(m.sentAt, m.messageId ?? null, m.sends, m.rowId);
        const b = m.botMessage;
        if (m.messageId && b) this.q.botMessage.run(b.platform, b.chatId, m.messageId, b.owner, b.purpose, m.sentAt, b.questionJson, b.resent ? 1 : 0);
      }
    });
    this.inTransaction = db.transaction((fn: () => unknown) => fn()).immediate;
    this.claimAll = db.transaction((claimId: string, ids: readonly number[]) => ids.filter((id) => this.q.claim.run(claimId, id).changes === 1));
  }

  /** The first unsent row of every chat, due first. */
  heads(): OutboxRow[] {
    return this.q.heads.all();
  }

  /** The first unsent row of every chat of one platform, due first. */
  platformHeads(platform: Platform): OutboxRow[] {
    return this.q.platformHeads.all(platform, platform);
  }

  /** The first unsent row of every chat that is not paced (a callback answer), due first. */
  unpacedHeads(): OutboxRow[] {
    return this.q.unpacedHeads.all();
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
   * Claims the rows in one transaction; each claim is still its own conditional UPDATE, so a row another drainer
   * claimed first is left out. Returns the ids this drainer now owns.
   */
  claim(claimId: string, ids: readonly number[]): number[] {
    if (ids.length === 0) return [];
    return this.claimAll(claimId, ids);
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

  /** Drops what is queued for chats known to be gone (a read first: the write is rare). */
  dropQueuedForGoneChats(): void {
    if (this.q.anyGone.get()!.n > 0) this.q.dropGone.run();
  }

  /** Moves a chat's queue to its new id (a Telegram group that became a supergroup). */
  moveChat(platform: Platform, fromChatId: string, toChatId: string): void {
    this.q.rechat.run(toChatId, platform, fromChatId);
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
