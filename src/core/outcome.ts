// The one result type of the core's helpers that may stop a command: the value to go on with, or the effects
// that end it instead — a polite refusal that changes nothing, or a short choice that asks what was meant.
import type { Effect } from "./effects.js";

export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: Effect[] };

/** Go on with this value. */
export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

/** Stop here with these effects (a reply, or a choice and the session that waits for it). */
export function refused(...refusal: Effect[]): { ok: false; refusal: Effect[] } {
  return { ok: false, refusal };
}
