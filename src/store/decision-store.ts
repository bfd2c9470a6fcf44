// What the event handler needs from the database: the world the core reads, the writer of its effects, the
// processed-update mark that recognises a redelivery, and the transaction that holds them together. A
// transaction opened inside another becomes a savepoint of it (better-sqlite3 nests them so), which is what lets
// a batch of updates share one commit while each update still succeeds or fails alone.
import type { World } from "../core/world.js";
import type { Platform } from "../core/types.js";
import type { FormDef } from "../core/forms/schema.js";
import type { DB } from "./db.js";
import { effectApplier, type EffectApplier } from "./apply-effects.js";
import { SqlWorld } from "./sql-world.js";

export interface DecisionStore {
  world: World;
  apply: EffectApplier;
  /** Records that an update was processed; false when it had been before (a redelivery). */
  markProcessed(platform: Platform, updateKey: string, at: Date): boolean;
  /** Runs a decision (reads only) with the reads it repeats answered from memory. */
  deciding<T>(fn: () => T): T;
  /** Runs `fn` in one transaction, or in a savepoint when a transaction is already open; rolls back if it throws. */
  transaction<T>(fn: () => T): T;
}

/** The decision store over one connection. */
export function decisionStore(db: DB, forms: readonly FormDef[]): DecisionStore {
  const mark = db.prepare("INSERT OR IGNORE INTO processed_updates (platform, update_key, processed_at) VALUES (?, ?, ?)");
  // One transaction function for every call (building one per update costs more than the BEGIN it wraps).
  const inTransaction = db.transaction((fn: () => unknown) => fn());
  const world = new SqlWorld(db);
  return {
    world,
    deciding: (fn) => world.holdingReads(fn),
    apply: effectApplier(db, forms),
    markProcessed: (platform, updateKey, at) => mark.run(platform, updateKey, at.toISOString()).changes === 1,
    transaction: <T>(fn: () => T): T => inTransaction(fn) as T,
  };
}
