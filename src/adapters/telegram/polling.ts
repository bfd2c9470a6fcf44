// Long polling that confirms an update only after the intake stored or parked it. Telegram confirms every
// update below the `offset` of the next getUpdates call, so the offset moves past a getUpdates answer only once
// all of it is stored (in one commit when nothing fails); a crash or a storage failure before that leaves the
// updates with Telegram, which delivers them again.
import { GrammyError, type Api } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../../app/logger.js";

export interface PollingOptions {
  allowedUpdates: readonly string[];
  /** Long-poll timeout in seconds (default 30). */
  timeoutSec?: number;
  signal: AbortSignal;
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });

/**
 * Polls until `signal` aborts. `onUpdates` gets each getUpdates answer, in order; it resolves when they may all
 * be confirmed and rejects when they may not (the loop then stops without confirming them). A refused token ends
 * the loop with the error.
 */
export async function pollUpdates(api: Api, opts: PollingOptions, onUpdates: (us: Update[]) => Promise<void>, log: Logger): Promise<void> {
  let offset: number | undefined;
  let backoff = 1000;
  while (!opts.signal.aborted) {
    let updates: Update[];
    try {
      updates = await api.getUpdates(
        { offset, timeout: opts.timeoutSec ?? 30, allowed_updates: opts.allowedUpdates as never },
        // grammY types its signal with an older AbortSignal shape; the runtime one is what it uses.
        opts.signal as never,
      );
      backoff = 1000;
    } catch (err) {
      if (opts.signal.aborted) break;
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) throw err;
      // 409: another process polls with this token (or a webhook is set) — worth a loud line, not a crash.
      const conflict = err instanceof GrammyError && err.error_code === 409;
      log[conflict ? "error" : "warn"]({ err, backoff }, conflict ? "telegram getUpdates conflict: is another bot running with this token?" : "telegram getUpdates failed, retrying");
      await pause(backoff, opts.signal);
      backoff = Math.min(backoff * 2, 30_000);
      continue;
    }
    if (updates.length === 0) continue;
    await onUpdates(updates);
    offset = updates[updates.length - 1]!.update_id + 1;
  }
  // Confirm what was stored, so a restart does not fetch it again (it would only be recognised as a repeat).
  if (offset !== undefined) await api.getUpdates({ offset, limit: 1, timeout: 0 }).catch(() => undefined);
}
