// The one result type of the core's helpers that may refuse: the value to go on with, or the polite reply
// (an effect) that ends the command without changing anything.
import type { Effect } from "./effects.js";

export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: Effect };

/** Go on with this value. */
export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

/** Stop here with this reply. */
export function refused(refusal: Effect): { ok: false; refusal: Effect } {
  return { ok: false, refusal };
}
