// Read access to stored facts, as the core needs them. The store implements it with SQL; decisions read
// through it and answer with effects, so the core never writes and never knows about SQLite.
import type { AnswerMap, Person, PersonRef, Platform, RoleGrant, SessionKey, SessionState, Submission, Unit } from "./types.js";

export interface Registration {
  roleId: number;
  person: Person;
  unit: Unit;
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
  answers(unit: string, form: string, period: string): AnswerMap;
  submission(unit: string, form: string, period: string): Submission | undefined;
  openPeriodOverride(unit: string, form: string): string | undefined;
  /** Who a bot message was meant for (set when it was sent). */
  botMessage(platform: Platform, chatId: string, messageId: string): { owner?: string; purpose: string } | undefined;
  invite(code: string): { role: RoleGrant["role"]; unitCode: string; expiresAt: string; usedAt?: string } | undefined;
  privateLink(token: string): { platform: Platform; userId: string; groupChatId: string; usedAt?: string } | undefined;
}
