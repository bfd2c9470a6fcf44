// Updates the bot could not store after several tries, kept for an operator instead of blocking everyone
// behind them (the CLI lists them and hands them to the core again: `npm run cli -- parked`).
import type { InboundEvent } from "../core/events.js";
import type { Platform } from "../core/types.js";
import type { DB } from "./db.js";

export interface ParkedUpdate {
  id: number;
  platform: Platform;
  updateKey: string;
  raw: unknown;
  event?: InboundEvent;
  error: string;
  attempts: number;
  parkedAt: Date;
  resolvedAt?: Date;
  resolution?: "handled" | "dropped";
}

interface Row {
  id: number;
  platform: Platform;
  update_key: string;
  raw_json: string;
  event_json: string | null;
  error: string;
  attempts: number;
  parked_at: number;
  resolved_at: number | null;
  resolution: "handled" | "dropped" | null;
}

const toParked = (r: Row): ParkedUpdate => ({
  id: r.id,
  platform: r.platform,
  updateKey: r.update_key,
  raw: JSON.parse(r.raw_json) as unknown,
  event: r.event_json ? (JSON.parse(r.event_json) as InboundEvent) : undefined,
  error: r.error,
  attempts: r.attempts,
  parkedAt: new Date(r.parked_at),
  resolvedAt: r.resolved_at === null ? undefined : new Date(r.resolved_at),
  resolution: r.resolution ?? undefined,
});

export class ParkedUpdates {
  private readonly q;

  constructor(db: DB) {
    this.q = {
      park: db.prepare(
        `INSERT INTO parked_updates (platform, update_key, raw_json, event_json, error, attempts, parked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, update_key) WHERE resolved_at IS NULL DO UPDATE SET error = excluded.error,
           attempts = parked_updates.attempts + excluded.attempts, parked_at = excluded.parked_at`,
      ),
      list: db.prepare<[number], Row>("SELECT * FROM parked_updates WHERE ? OR resolved_at IS NULL ORDER BY id"),
      get: db.prepare<[number], Row>("SELECT * FROM parked_updates WHERE id = ?"),
      resolve: db.prepare("UPDATE parked_updates SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL"),
      open: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM parked_updates WHERE resolved_at IS NULL"),
    };
  }

  /** Keeps an update with the error that stopped it (a second parking of the same update adds its attempts). */
  park(p: { platform: Platform; updateKey: string; raw: unknown; event?: InboundEvent; error: string; attempts: number; at: Date }): void {
    this.q.park.run(p.platform, p.updateKey, JSON.stringify(p.raw ?? null), p.event ? JSON.stringify(p.event) : null, p.error.slice(0, 2000), p.attempts, p.at.getTime());
  }

  /** Open ones (or every one, with `all`), oldest first. */
  list(all = false): ParkedUpdate[] {
    return this.q.list.all(all ? 1 : 0).map(toParked);
  }

  get(id: number): ParkedUpdate | undefined {
    const r = this.q.get.get(id);
    return r ? toParked(r) : undefined;
  }

  resolve(id: number, resolution: "handled" | "dropped", at: Date): boolean {
    return this.q.resolve.run(at.getTime(), resolution, id).changes === 1;
  }

  openCount(): number {
    return this.q.open.get()!.n;
  }
}
