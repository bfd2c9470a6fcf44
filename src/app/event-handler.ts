// One hop from a neutral event to stored state: mark the update processed, decide, apply — all in one
// SQLite transaction. A crash before COMMIT means the update is redelivered and processed again; after it,
// the answer and the reply in the outbox are both durable, and a redelivery is recognised and dropped.
import { randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { decide } from "../core/conversation/decide.js";
import { followUps } from "../core/conversation/follow-ups.js";
import type { Ctx, WebViewSettings } from "../core/conversation/context.js";
import type { InboundEvent } from "../core/events.js";
import type { Effect } from "../core/effects.js";
import type { Prompts } from "../config/load-prompts.js";
import { withTakenFigures } from "../core/forms/taken-world.js";
import type { World } from "../core/world.js";
import type { DecisionStore } from "../store/decision-store.js";

export interface HandleResult {
  duplicate: boolean;
  effects: Effect[];
}

/** The web view's settings; `baseUrl` is read per update (the port may be chosen when the server starts), and
 * undefined while no HTTP server listens. */
export interface WebOptions {
  baseUrl: () => string | undefined;
  hours: number;
  newToken?: () => string;
}

export class EventHandler {
  private readonly world: World;
  private readonly listeners = new Set<() => void>();
  /** Open batches (see inBatch): replies queued inside one wake the drainer only after its commit. */
  private batchDepth = 0;
  private queuedInBatch = false;

  constructor(
    private readonly store: DecisionStore,
    private readonly prompts: Prompts,
    private readonly clock: Clock,
    private readonly newToken: () => string = () => randomBytes(12).toString("base64url"),
    private readonly web?: WebOptions,
  ) {
    // Answers carry the figures forms take from other forms' reports.
    this.world = withTakenFigures(store.world, prompts.forms);
  }

  private webSettings(): WebViewSettings | undefined {
    if (!this.web) return undefined;
    const baseUrl = this.web.baseUrl();
    if (!baseUrl) return undefined;
    return { baseUrl, hours: this.web.hours, newToken: this.web.newToken ?? (() => randomBytes(32).toString("base64url")) };
  }

  /** Called after each commit that queued replies (the outbox drainer wakes up). */
  onQueued(listener: () => void): void {
    this.listeners.add(listener);
  }

  /**
   * Runs `fn` in one transaction whose commit covers every update handled inside it; each of those is a
   * savepoint of its own, so one that throws is rolled back alone and the others stay. The drainer wakes once,
   * after the commit: nothing queued inside is sent before it is durable.
   */
  inBatch<T>(fn: () => T): T {
    this.batchDepth++;
    let result: T;
    try {
      result = this.store.transaction(fn);
    } catch (err) {
      if (--this.batchDepth === 0) this.queuedInBatch = false;
      throw err;
    }
    if (--this.batchDepth === 0 && this.queuedInBatch) {
      this.queuedInBatch = false;
      this.notify();
    }
    return result;
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  handle(ev: InboundEvent): HandleResult {
    const now = this.clock.now();
    const result = this.store.transaction((): HandleResult => {
      if (!this.store.markProcessed(ev.platform, ev.updateKey, now)) return { duplicate: true, effects: [] };
      const ctx: Ctx = {
        world: this.world,
        forms: this.prompts.forms,
        messages: this.prompts.messages,
        report: this.prompts.report,
        now,
        newToken: this.newToken,
        web: this.webSettings(),
      };
      // The decision only reads: what it reads twice comes from memory (its writes are applied below).
      const effects = this.store.deciding(() => decide(ev, ctx));
      this.store.apply(effects, now);
      // Consequences read the state just written (same transaction): boards, commune completion.
      const more = followUps(effects, ctx);
      this.store.apply(more, now);
      return { duplicate: false, effects: [...effects, ...more] };
    });
    if (result.effects.some((e) => e.type === "reply")) {
      if (this.batchDepth > 0) this.queuedInBatch = true;
      else this.notify();
    }
    return result;
  }
}
