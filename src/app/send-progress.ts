// A message that goes out as several chat messages (a chart, its text, the draft; or text over a platform's
// limit) may fail half-way. Its retry resumes after the parts already sent instead of posting them twice. Kept in
// memory: after a restart the whole message is sent again, as any message in the at-least-once window is.
import { createHash } from "node:crypto";
import type { Payload } from "./outbox.js";

/** How far one delivery got, and what it prepared for its parts (links issued once, however often retried). */
export interface Progress<T> {
  sent: number;
  state: T;
}

/** The parts already sent of deliveries that failed half-way, by delivery. */
export class SendProgress<T> {
  private readonly open = new Map<string, Progress<T>>();

  constructor(private readonly limit = 1000) {}

  /** A delivery is its outbox row when known, else its chat and payload. */
  key(chatId: string, payload: Payload, rowId?: number): string {
    if (rowId !== undefined) return `row:${rowId}`;
    return createHash("sha256").update(chatId).update("\0").update(JSON.stringify(payload)).digest("base64url");
  }

  /** Where a delivery resumes (nothing sent yet, unless an earlier try got part of the way). */
  resume(key: string, fresh: () => T): Progress<T> {
    return this.open.get(key) ?? { sent: 0, state: fresh() };
  }

  /** Remembers a delivery that failed after `progress.sent` parts. */
  keep(key: string, progress: Progress<T>): void {
    this.open.delete(key);
    this.open.set(key, progress);
    if (this.open.size > this.limit) this.open.delete(this.open.keys().next().value!);
  }

  /** The delivery is complete. */
  done(key: string): void {
    this.open.delete(key);
  }
}
