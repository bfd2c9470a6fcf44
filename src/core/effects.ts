// What a decision asks the storage layer to do. The core returns these; src/app applies them in the same
// transaction that records the update as processed, so an acknowledged answer is always committed.
import type { Outgoing } from "./events.js";
import type { Person, PersonRef, Platform, Role, SessionKey, SessionState, Value } from "./types.js";

export type Effect =
  | { type: "reply"; out: Outgoing }
  | { type: "save_person"; person: Person }
  | {
      type: "save_answers";
      unit: string;
      form: string;
      period: string;
      values: Record<string, Value | null>;
      by: Person;
      /** Recorded in the audit trail (who/when/old/new) when set. */
      audit?: "edit" | "staff";
    }
  | { type: "clear_answers"; unit: string; form: string; period: string; fields: string[] }
  | { type: "set_session"; key: SessionKey; state: SessionState }
  | { type: "clear_session"; key: SessionKey }
  | { type: "submission"; unit: string; form: string; period: string; status: "in_progress" | "completed" | "reopened"; by: Person }
  | { type: "grant_role"; person: Person; role: Role; unit: string; by: string }
  | { type: "revoke_role"; roleId: number; by: string }
  | { type: "use_invite"; code: string; by: Person }
  | { type: "link_chat"; platform: Platform; chatId: string; unit: string; title?: string; by: Person }
  | { type: "migrate_chat"; platform: Platform; from: string; to: string }
  | { type: "open_period"; unit: string; form: string; period: string | null; by: Person }
  | { type: "private_link"; token: string; person: Person; groupChatId: string }
  | { type: "use_private_link"; token: string }
  | { type: "review"; unit: string; form: string; period: string; status: "accepted" | "returned"; reason?: string; by: Person }
  | { type: "ping"; person: PersonRef; unit: string; period: string }
  | { type: "set_target"; unit: string; form: string; year: number; field: string; value: number; by: Person }
  /** Remembers that a one-time notice (a scheduled reminder, "the commune is complete") went out. */
  | { type: "mark_fired"; unit: string; form: string; period: string; step: string };
