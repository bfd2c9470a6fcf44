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
import type { DB } from "../store/db.js";
import { effectApplier } from "../store/apply-effects.js";
import { withTakenFigures } from "../core/forms/taken-world.js";
import { SqlWorld } from "../store/sql-world.js";

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
  private readonly world: SqlWorld;
  private readonly apply;
  private readonly markProcessed;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: DB,
    private readonly prompts: Prompts,
    private readonly clock: Clock,
    private readonly newToken: () => string = () => randomBytes(12).toString("base64url"),
    private readonly web?: WebOptions,
  ) {
    // Answers carry the figures forms take from other forms' reports.
    this.world = withTakenFigures(new SqlWorld(db), prompts.forms);
    this.apply = effectApplier(db, prompts.forms);
    this.markProcessed = db.prepare("INSERT OR IGNORE INTO processed_updates (platform, update_key, processed_at) VALUES (?, ?, ?)");
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

  handle(ev: InboundEvent): HandleResult {
    const now = this.clock.now();
    const result = this.db.transaction((): HandleResult => {
      const fresh = this.markProcessed.run(ev.platform, ev.updateKey, now.toISOString()).changes === 1;
      if (!fresh) return { duplicate: true, effects: [] };
      const ctx: Ctx = {
        world: this.world,
        forms: this.prompts.forms,
        messages: this.prompts.messages,
        report: this.prompts.report,
        now,
        newToken: this.newToken,
        web: this.webSettings(),
      };
      const effects = decide(ev, ctx);
      this.apply(effects, now);
      // Consequences read the state just written (same transaction): boards, commune completion.
      const more = followUps(effects, ctx);
      this.apply(more, now);
      return { duplicate: false, effects: [...effects, ...more] };
    })();
    if (result.effects.some((e) => e.type === "reply")) for (const l of this.listeners) l();
    return result;
  }
}
