// Read access to stored facts, as the core needs them. The store implements it with SQL; decisions read
// through it and answer with effects, so the core never writes and never knows about SQLite.
import type { SummaryData } from "./aggregate/summary.js";
import type { Question } from "./events.js";
import type { Exemption, ExemptionRecord } from "./exemption.js";
import type { FormDef } from "./forms/schema.js";
import type { Period } from "./periods.js";
import type { ReportKey } from "./report-key.js";
import type { Round } from "./rounds.js";
import type { AnswerMap, Person, PersonRef, Platform, Role, RoleGrant, SessionKey, SessionState, Submission, Unit, UnitLevel, Value } from "./types.js";

/** A message the bot sent, as recorded by the outbox. */
export interface SentMessage {
  owner?: string;
  purpose: string;
  question?: Question;
  /** Sent after an earlier try whose copy may have reached the chat unrecorded (the bot stopped in between). */
  resent?: boolean;
}

export interface Registration {
  roleId: number;
  person: Person;
  unit: Unit;
}

/** Someone asking to be a second leader of an area; staff approve or refuse it. */
export interface RegistrationRequest {
  id: number;
  person: Person;
  unit: Unit;
  /** The group it was asked in: the answer is told there. */
  chatId: string;
  status: "pending" | "approved" | "refused";
}

export interface World {
  unit(code: string): Unit | undefined;
  children(code: string): Unit[];
  /** The unit itself first, then its parent, up to the root. */
  lineage(code: string): Unit[];
  person(ref: PersonRef): Person | undefined;
  roles(ref: PersonRef): RoleGrant[];
  /** The unit a group chat is linked to. */
  chatUnit(platform: Platform, chatId: string): string | undefined;
  /** Group chats linked to a unit on a platform. */
  chatsOf(platform: Platform, unitCode: string): string[];
  /** Active reporter registrations for areas under a unit. */
  registrations(unitCode: string): Registration[];
  session(key: SessionKey): SessionState | undefined;
  answers(report: ReportKey): AnswerMap;
  submission(report: ReportKey): Submission | undefined;
  openPeriodOverride(unit: string, form: string): string | undefined;
  /** Rounds of a form opened for any of these units, newest first (latest start, then highest number). */
  rounds(form: string, units: readonly string[]): Round[];
  /** A round by its number. */
  round(id: number): Round | undefined;
  /** The number the next round will get (decisions run in one transaction, so it stays free). */
  nextRoundId(): number;
  /** Who a bot message was meant for and, for a question, what it asked (recorded when it was sent). */
  botMessage(platform: Platform, chatId: string, messageId: string): SentMessage | undefined;
  /**
   * The first bot message recorded in the chat after `messageId`, on platforms whose message ids grow within
   * a chat (Telegram, the simulator); undefined elsewhere. A message the bot never recorded is the earlier copy
   * of the next recorded one when that one is a retry: a chat's messages leave strictly one after another.
   */
  botMessageAfter(platform: Platform, chatId: string, messageId: string): SentMessage | undefined;
  invite(code: string): { role: RoleGrant["role"]; unitCode: string; expiresAt: string; usedAt?: string } | undefined;
  /** Everything a summary over `root`'s areas needs (answers, submissions, reviews, targets). */
  summaryData(root: Unit, form: FormDef, period: Period): SummaryData;
  /**
   * How many of the reporting units under a unit (not filling the form itself) have submitted a period of one of
   * the form's own periods (accepted ones included), of how many are expected (exempt ones left out): read from the
   * kept totals, no summary built.
   */
  submittedUnder(unit: string, form: FormDef, periodKey: string): { submitted: number; expected: number };
  /** The units of these levels at or under `root`, in code order (names and codes only: no figures). */
  unitsUnder(root: string, levels: readonly UnitLevel[]): Unit[];
  /** Yearly targets of a unit, by field. */
  targets(unit: string, form: string, year: number): Record<string, number>;
  /** The latest bot message with this purpose in a chat (e.g. a registration request to close). */
  botMessageByPurpose(platform: Platform, chatId: string, purpose: string): string | undefined;
  /** The latest bot message of each purpose that starts with `prefix` in a chat (the progress boards of a unit). */
  botMessagesByPurposePrefix(platform: Platform, chatId: string, prefix: string): Array<{ messageId: string; purpose: string }>;
  /** People holding a role on exactly this unit (staff of a commune, reporters of an area). */
  holders(unitCode: string, role: Role): Person[];
  /** Audit trail of a report's figures, oldest first. */
  history(report: ReportKey): Array<{ field: string; old: Value | null; new: Value | null; byName: string; at: string }>;
  /** When a person was last reminded about a report of this form (the cooldown of reminders is per report kind). */
  lastPinged(person: PersonRef, form: string): number | undefined;
  /** Whether a one-time notice (scheduled reminder, "commune complete") already went out. */
  fired(report: ReportKey, step: string): boolean;
  privateLink(token: string): { platform: Platform; userId: string; groupChatId: string; usedAt?: string } | undefined;
  /** Every open session of a person, in any chat. */
  sessionsOf(ref: PersonRef): Array<{ key: SessionKey; state: SessionState }>;
  /** Every open session in a chat. */
  sessionsIn(platform: Platform, chatId: string): Array<{ key: SessionKey; state: SessionState }>;
  /** The staff's review of a report, if any. */
  review(report: ReportKey): { status: "accepted" | "returned"; at: string } | undefined;
  registrationRequest(id: number): RegistrationRequest | undefined;
  /** Requests waiting for staff, oldest first. */
  pendingRequests(): RegistrationRequest[];
  /** The id the next registration request will get (decisions run in one transaction, so it stays free). */
  nextRequestId(): number;
  /** Whether the person was already asked for their full name (asked once only). */
  fullNameAsked(ref: PersonRef): boolean;
  /** Whether the bot can write to a chat: "gone" after it was removed or blocked there, until it is back. */
  chatStatus(platform: Platform, chatId: string): "active" | "gone";
  /** The exemption in force for a report, if any. */
  exemption(report: ReportKey): Exemption | undefined;
  /** Every exemption in force for a form's period (a key of the form's own kind) at or below a unit, in code order. */
  exemptions(under: string, form: string, period: string): Exemption[];
  /** Every exemption ever granted for a report, lifted ones too, oldest first (the audit trail). */
  exemptionHistory(report: ReportKey): ExemptionRecord[];
}
