// Every platform update passes here on its way to the core. An update is confirmed to the platform (the next
// getUpdates offset, a 2xx webhook answer) only once it is committed — or, after a bounded number of tries,
// parked in SQLite with its error for an operator, so one bad update never blocks everyone behind it. An update
// that could be neither stored nor parked (the database is gone) is never confirmed: polling keeps retrying it
// with a growing pause, a webhook answers 500 so the platform delivers it again.
import type { Clock } from "../core/clock.js";
import type { InboundEvent } from "../core/events.js";
import type { Platform } from "../core/types.js";
import type { ParkedUpdates } from "../store/parked-updates.js";
import type { EventHandler } from "./event-handler.js";
import type { Logger } from "./logger.js";

export type IntakeResult = "handled" | "duplicate" | "ignored" | "parked";

/** The intake stopped (shutdown) while an update was neither stored nor parked: do not confirm it. */
export class IntakeStopped extends Error {
  override readonly name = "IntakeStopped";
}

export interface IntakeOptions {
  /** Tries before an update is parked (default 5). */
  maxAttempts?: number;
  /** First pause between tries, doubled each time (default 200 ms), capped at `maxPauseMs` (default 30 s). */
  firstPauseMs?: number;
  maxPauseMs?: number;
  /** Waits between tries; resolves early (false) when the intake stops. */
  sleep?: (ms: number, stopped: AbortSignal) => Promise<void>;
}

/** One update as an adapter hands it over: its key, what the platform sent, and the neutral event (if any). */
export interface IncomingUpdate {
  platform: Platform;
  key: string;
  raw: unknown;
  /** Undefined when the update is not for the core (a service message, another bot's text…). */
  event?: InboundEvent;
}

const realSleep = (ms: number, stopped: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    stopped.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export class UpdateIntake {
  private readonly stop = new AbortController();
  private readonly opts: Required<IntakeOptions>;
  /** Failed webhook deliveries per update, until it is stored or parked. */
  private readonly failedDeliveries = new Map<string, number>();
  private readonly lastUpdate = new Map<Platform, Date>();
  /** Webhook deliveries waiting for the end of this turn of the event loop, to be committed together. */
  private burst: Array<{ u: IncomingUpdate; done: (ok: boolean) => void }> = [];

  constructor(
    private readonly handler: EventHandler,
    private readonly parked: ParkedUpdates,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: IntakeOptions = {},
  ) {
    this.opts = {
      maxAttempts: opts.maxAttempts ?? 5,
      firstPauseMs: opts.firstPauseMs ?? 200,
      maxPauseMs: opts.maxPauseMs ?? 30_000,
      sleep: opts.sleep ?? realSleep,
    };
  }

  /** When each platform's last update arrived (for /healthz). */
  lastUpdates(): Partial<Record<Platform, string>> {
    return Object.fromEntries([...this.lastUpdate].map(([p, at]) => [p, at.toISOString()]));
  }

  /** Ends every retry loop; updates in them stay unconfirmed. */
  close(): void {
    this.stop.abort();
  }

  private try(u: IncomingUpdate): IntakeResult {
    this.lastUpdate.set(u.platform, this.clock.now());
    if (!u.event) return "ignored";
    return this.handler.handle(u.event).duplicate ? "duplicate" : "handled";
  }

  private park(u: IncomingUpdate, err: unknown, attempts: number): boolean {
    try {
      this.parked.park({ platform: u.platform, updateKey: u.key, raw: u.raw, event: u.event, error: describe(err), attempts, at: this.clock.now() });
      this.log.error({ err, platform: u.platform, update: u.key, attempts }, "update parked after repeated failures (npm run cli -- parked)");
      return true;
    } catch (parkErr) {
      this.log.error({ err: parkErr, platform: u.platform, update: u.key }, "update could be neither stored nor parked; it stays unconfirmed");
      return false;
    }
  }

  /**
   * For polling: resolves once the update is stored, recognised as a repeat, or parked; only then may the
   * caller confirm it. Rejects with IntakeStopped when the intake closes first.
   */
  async process(u: IncomingUpdate): Promise<IntakeResult> {
    return this.retry(u, 0, undefined);
  }

  /** Tries `u` until stored or parked, `failed` tries having been made already (the last with `lastErr`). */
  private async retry(u: IncomingUpdate, failed: number, lastErr: unknown): Promise<IntakeResult> {
    let pause = this.opts.firstPauseMs;
    if (failed > 0) {
      if (failed >= this.opts.maxAttempts && this.park(u, lastErr, failed)) return "parked";
      this.log.warn({ err: lastErr, platform: u.platform, update: u.key, attempt: failed, pauseMs: pause }, "update could not be stored, trying again");
      await this.opts.sleep(pause, this.stop.signal);
      pause = Math.min(pause * 2, this.opts.maxPauseMs);
    }
    for (let attempt = failed + 1; ; attempt++) {
      if (this.stop.signal.aborted) throw new IntakeStopped(`stopped before ${u.platform} update ${u.key} was stored`);
      try {
        return this.try(u);
      } catch (err) {
        if (attempt >= this.opts.maxAttempts && this.park(u, err, attempt)) return "parked";
        this.log.warn({ err, platform: u.platform, update: u.key, attempt, pauseMs: pause }, "update could not be stored, trying again");
      }
      await this.opts.sleep(pause, this.stop.signal);
      pause = Math.min(pause * 2, this.opts.maxPauseMs);
    }
  }

  /**
   * Stores a run of updates from `us[from]` on in one transaction, each in a savepoint of its own, and stops at
   * the first that fails (its savepoint rolled back, the ones before it kept). Returns the results of the
   * updates committed, and the failure that stopped the run, if any. When the commit itself fails, nothing of
   * the run is stored and the failure is the first update's.
   */
  private commitRun(us: readonly IncomingUpdate[], from: number): { results: IntakeResult[]; failed?: { index: number; err: unknown } } {
    const results: IntakeResult[] = [];
    let failed: { index: number; err: unknown } | undefined;
    try {
      this.handler.inBatch(() => {
        for (let i = from; i < us.length; i++) {
          try {
            results.push(this.try(us[i]!));
          } catch (err) {
            failed = { index: i, err };
            return;
          }
        }
      });
    } catch (err) {
      return { results: [], failed: { index: from, err } };
    }
    return { results, failed };
  }

  /**
   * For polling, a whole getUpdates answer: resolves, in order, once every update is stored, recognised as a
   * repeat, or parked — the caller may then confirm them all. The updates share one commit (one fsync); one that
   * fails is retried and parked as `process` does, after those before it are committed and before those after
   * it are tried, so the order is kept. Rejects with IntakeStopped when the intake closes first.
   */
  async processBatch(us: readonly IncomingUpdate[]): Promise<IntakeResult[]> {
    const results: IntakeResult[] = [];
    let i = 0;
    while (i < us.length) {
      if (this.stop.signal.aborted) throw new IntakeStopped(`stopped before ${us[i]!.platform} update ${us[i]!.key} was stored`);
      const run = this.commitRun(us, i);
      results.push(...run.results);
      i += run.results.length;
      if (run.failed) {
        results.push(await this.retry(us[i]!, 1, run.failed.err));
        i++;
      }
    }
    return results;
  }

  /**
   * For webhooks, like `deliver`, but the deliveries that arrive together (before the event loop turns) are
   * committed together, each in its own savepoint; resolves with what `deliver` would have returned.
   */
  deliverTogether(u: IncomingUpdate): Promise<boolean> {
    return new Promise<boolean>((done) => {
      if (this.burst.length === 0) setImmediate(() => this.commitBurst());
      this.burst.push({ u, done });
    });
  }

  private commitBurst(): void {
    const burst = this.burst;
    this.burst = [];
    const us = burst.map((b) => b.u);
    let i = 0;
    while (i < us.length) {
      const run = this.commitRun(us, i);
      for (let k = 0; k < run.results.length; k++, i++) {
        this.failedDeliveries.delete(`${us[i]!.platform}:${us[i]!.key}`);
        burst[i]!.done(true);
      }
      if (run.failed) {
        // This delivery's one try failed: counted like a failed `deliver` (answer 500, or park after several).
        burst[i]!.done(this.failedTry(us[i]!, run.failed.err));
        i++;
      }
    }
  }

  /**
   * For webhooks: one try per delivery. False means "answer non-2xx" (the platform delivers it again); after
   * `maxAttempts` failed deliveries of the same update it is parked and true is returned.
   */
  deliver(u: IncomingUpdate): boolean {
    const id = `${u.platform}:${u.key}`;
    try {
      this.try(u);
      this.failedDeliveries.delete(id);
      return true;
    } catch (err) {
      return this.failedTry(u, err);
    }
  }

  /** Counts a failed delivery of `u`; true when it was parked (answer 2xx), false to have it delivered again. */
  private failedTry(u: IncomingUpdate, err: unknown): boolean {
    const id = `${u.platform}:${u.key}`;
    const attempts = (this.failedDeliveries.get(id) ?? 0) + 1;
    if (attempts >= this.opts.maxAttempts && this.park(u, err, attempts)) {
      this.failedDeliveries.delete(id);
      return true;
    }
    this.failedDeliveries.set(id, attempts);
    if (this.failedDeliveries.size > 10_000) this.failedDeliveries.delete(this.failedDeliveries.keys().next().value!);
    this.log.warn({ err, platform: u.platform, update: u.key, attempts }, "update could not be stored; asking the platform to deliver it again");
    return false;
  }

}
