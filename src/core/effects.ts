// What a decision asks the storage layer to do. The core returns these; src/app applies them in the same
// transaction that records the update as processed, so an acknowledged answer is always committed.
import type { Outgoing } from "./events.js";
import type { ReportKey } from "./report-key.js";
import type { Round } from "./rounds.js";
import type { Person, PersonRef, Platform, Role, SessionKey, SessionState, Value } from "./types.js";

export type Effect =
  | { type: "reply"; out: Outgoing }
  | { type: "save_person"; person: Person }
  | {
      type: "save_answers";
      report: ReportKey;
      values: Record<string, Value | null>;
      by: Person;
      /** Recorded in the audit trail (who/when/old/new) when set. */
      audit?: "edit" | "staff";
    }
  | { type: "clear_answers"; report: ReportKey; fields: string[] }
  | { type: "set_session"; key: SessionKey; state: SessionState }
  | { type: "clear_session"; key: SessionKey }
  | {
      type: "submission";
      report: ReportKey;
      status: "in_progress" | "completed" | "reopened";
      by: Person;
      /** A correction after completion: the leader of record stays the author (and signer). */
      keepAuthor?: boolean;
    }
  | { type: "grant_role"; person: Person; role: Role; unit: string; by: string }
  | { type: "revoke_role"; roleId: number; by: string }
  | { type: "use_invite"; code: string; by: Person }
  | { type: "link_chat"; platform: Platform; chatId: string; unit: string; title?: string; by: Person }
  | { type: "migrate_chat"; platform: Platform; from: string; to: string }
  | { type: "open_period"; unit: string; form: string; period: string | null; by: Person }
  // rounds: named periods staff open and close (/moky <form> <tên đợt>, /moky <form> đóng)
  /** A new round; `round.id` from World.nextRoundId(). */
  | { type: "open_round"; round: Round; by: Person }
  | { type: "close_round"; id: number; by: Person }
  | { type: "private_link"; token: string; person: Person; groupChatId: string }
  | { type: "use_private_link"; token: string }
  | { type: "review"; report: ReportKey; status: "accepted" | "returned"; reason?: string; by: Person }
  /** A person was reminded about a report (the cooldown of reminders counts from it). */
  | { type: "ping"; person: PersonRef; report: ReportKey }
  | { type: "set_target"; unit: string; form: string; year: number; field: string; value: number; by: Person }
  /** A personal web-view link; every earlier link of the person stops working. The token is stored hashed. */
  | { type: "web_link"; token: string; person: PersonRef; expiresAt: number }
  /** Every web-view link of the person stops working (/web tat). */
  | { type: "revoke_web_links"; person: PersonRef }
  /** Remembers that a one-time notice (a scheduled reminder, "the commune is complete") went out. */
  | { type: "mark_fired"; report: ReportKey; step: string }
  // Who may do what: second leaders of an area wait for staff approval; revoked people stop at once.
  /** A second leader for an area that already has one, waiting for staff; `id` from World.nextRequestId(). */
  | { type: "request_registration"; id: number; person: Person; unit: string; chatId: string }
  | { type: "decide_request"; id: number; status: "approved" | "refused"; by: Person; reason?: string }
  /** Questions to a person still waiting in the outbox of these chats are not sent any more. */
  | { type: "drop_questions"; platform: Platform; userId: string; chatIds: string[] }
  /** The full name is asked for once: remembered when asked, whatever the answer. */
  | { type: "full_name_asked"; person: PersonRef }
  /** The full name that signs a person's area drafts. */
  | { type: "set_full_name"; person: PersonRef; fullName: string }
  /** The bot can (again) or can no longer write to a chat; messages queued for a gone chat are dropped. */
  | { type: "chat_status"; platform: Platform; chatId: string; status: "active" | "gone"; reason?: string }
  // Exempt units: staff excuse a unit from one report (a form's period) with a reason, or lift it.
  /** The unit is not expected to submit this report; an exemption in force is replaced (both are kept). */
  | { type: "exempt"; report: ReportKey; reason: string; by: Person }
  /** The exemption in force ends: the unit is expected again. */
  | { type: "lift_exemption"; report: ReportKey; by: Person };
