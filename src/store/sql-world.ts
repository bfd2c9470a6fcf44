// The World the core reads, backed by SQLite. Statements are prepared once; every read is synchronous, so a
// whole decision runs inside one transaction together with its writes.
import type { DB } from "./db.js";
import type { World, Registration, RegistrationRequest, SentMessage } from "../core/world.js";
import type { Question } from "../core/events.js";
import type { SummaryData } from "../core/aggregate/summary.js";
import type { FormDef } from "../core/forms/schema.js";
import type { Period } from "../core/periods.js";
import type { ReportKey } from "../core/report-key.js";
import type { Round } from "../core/rounds.js";
import { SummarySource } from "./summary-source.js";
import { ExemptionStore } from "./exemptions.js";
import type { Exemption, ExemptionRecord } from "../core/exemption.js";
import { TotalsReader } from "./totals.js";
import { reportingLevel } from "../core/open-reports.js";
import { PLATFORMS, type AnswerMap, type Person, type PersonRef, type Platform, type Role, type RoleGrant, type SessionKey, type SessionState, type Submission, type Unit, type UnitLevel, type Value } from "../core/types.js";
import { toUnit, type UnitRow } from "./rows.js";

interface SentRow {
  owner_user_id: string | null;
  purpose: string;
  question_json: string | null;
  resent: number;
}

/** The outbox wrote `question_json` from the core's own Outgoing; a row from before questions were recorded has none. */
function sentMessage(r: SentRow): SentMessage {
  let question: Question | undefined;
  try {
    question = r.question_json ? (JSON.parse(r.question_json) as Question) : undefined;
  } catch {
    question = undefined;
  }
  return { owner: r.owner_user_id ?? undefined, purpose: r.purpose, question, ...(r.resent ? { resent: true } : {}) };
}

export function personKey(p: PersonRef): string {
  return `${p.platform}:${p.userId}`;
}

/** "telegram:5002" → { platform, userId }; undefined for keys that name no person ("cli", "seed"). */
export function personRefOf(key: string | null): PersonRef | undefined {
  const at = key?.indexOf(":") ?? -1;
  if (!key || at < 1) return undefined;
  const platform = key.slice(0, at) as Platform;
  return PLATFORMS.includes(platform) ? { platform, userId: key.slice(at + 1) } : undefined;
}

interface SessionRow {
  platform: Platform;
  chat_id: string;
  user_id: string;
  state_json: string;
}

interface RequestRow {
  id: number;
  platform: Platform;
  user_id: string;
  unit_code: string;
  chat_id: string;
  status: RegistrationRequest["status"];
  display_name: string | null;
  username: string | null;
}

const REQUEST_SELECT = `SELECT q.id, q.platform, q.user_id, q.unit_code, q.chat_id, q.status, p.display_name, p.username
  FROM registration_requests q LEFT JOIN people p ON p.platform = q.platform AND p.user_id = q.user_id`;

const toSession = (r: SessionRow) => ({
  key: { platform: r.platform, chatId: r.chat_id, userId: r.user_id },
  state: JSON.parse(r.state_json) as SessionState,
});

export class SqlWorld implements World {
  private readonly q;
  /** While a decision runs (it reads, never writes): what it read, so a second read of the same is not a query. */
  private held?: { answers: Map<string, AnswerMap>; units: Map<string, Unit | undefined> };

  private readonly exemptionStore: ExemptionStore;

  constructor(private readonly db: DB) {
    this.exemptionStore = new ExemptionStore(db);
    this.q = {
      unit: db.prepare<[string], UnitRow>("SELECT * FROM units WHERE code = ?"),
      children: db.prepare<[string], UnitRow>("SELECT * FROM units WHERE parent_code = ? ORDER BY code"),
      person: db.prepare<[string, string], { display_name: string; username: string | null; full_name: string | null; full_name_asked_at: string | null }>(
        "SELECT display_name, username, full_name, full_name_asked_at FROM people WHERE platform = ? AND user_id = ?",
      ),
      roles: db.prepare<[string, string], { id: number; role: Role; unit_code: string }>(
        "SELECT id, role, unit_code FROM roles WHERE platform = ? AND user_id = ? AND revoked_at IS NULL ORDER BY id",
      ),
      chatUnit: db.prepare<[string, string], { unit_code: string }>("SELECT unit_code FROM chats WHERE platform = ? AND chat_id = ?"),
      chatsOf: db.prepare<[string, string], { chat_id: string }>(
        "SELECT chat_id FROM chats WHERE platform = ? AND unit_code = ? ORDER BY linked_at DESC",
      ),
      registrations: db.prepare<[string], { id: number; platform: Platform; user_id: string; unit_code: string; display_name: string | null; username: string | null }>(
        `SELECT r.id, r.platform, r.user_id, r.unit_code, p.display_name, p.username
           FROM roles r JOIN units u ON u.code = r.unit_code
           LEFT JOIN people p ON p.platform = r.platform AND p.user_id = r.user_id
          WHERE r.role = 'reporter' AND r.revoked_at IS NULL AND u.parent_code = ?
          ORDER BY u.code, r.id`,
      ),
      session: db.prepare<[string, string, string], { state_json: string }>(
        "SELECT state_json FROM sessions WHERE platform = ? AND chat_id = ? AND user_id = ?",
      ),
      answers: db.prepare<[string, string, string], { field_id: string; value_json: string | null }>(
        "SELECT field_id, value_json FROM answers WHERE unit_code = ? AND form_id = ? AND period_key = ?",
      ),
      submission: db.prepare<[string, string, string], { status: Submission["status"]; version: number; completed_at: string | null; completed_by: string | null }>(
        "SELECT status, version, completed_at, completed_by FROM submissions WHERE unit_code = ? AND form_id = ? AND period_key = ?",
      ),
      openPeriod: db.prepare<[string, string], { period_key: string }>("SELECT period_key FROM open_periods WHERE unit_code = ? AND form_id = ?"),
      // json_each: the units a unit's rounds may come from (itself and those above it).
      rounds: db.prepare<[string, string], RoundRow>(
        `${ROUND_SELECT} WHERE form_id = ? AND unit_code IN (SELECT value FROM json_each(?)) ORDER BY start_date DESC, id DESC`,
      ),
      round: db.prepare<[number], RoundRow>(`${ROUND_SELECT} WHERE id = ?`),
      nextRoundId: db.prepare<[], { n: number }>("SELECT coalesce(max(id), 0) + 1 AS n FROM rounds"),
      botMessage: db.prepare<[string, string, string], SentRow>(
        "SELECT owner_user_id, purpose, question_json, resent FROM bot_messages WHERE platform = ? AND chat_id = ? AND message_id = ?",
      ),
      // Only ids made of digits compare as numbers (Telegram's and the simulator's).
      after: db.prepare<[string, string, number], SentRow>(
        `SELECT owner_user_id, purpose, question_json, resent FROM bot_messages
          WHERE platform = ? AND chat_id = ? AND message_id <> '' AND message_id NOT GLOB '*[^0-9]*' AND CAST(message_id AS INTEGER) > ?
          ORDER BY CAST(message_id AS INTEGER) LIMIT 1`,
      ),
      invite: db.prepare<[string], { role: Role; unit_code: string; expires_at: string; used_at: string | null }>(
        "SELECT role, unit_code, expires_at, used_at FROM invites WHERE code = ?",
      ),
      byPurpose: db.prepare<[string, string, string], { message_id: string }>(
        "SELECT message_id FROM bot_messages WHERE platform = ? AND chat_id = ? AND purpose = ? ORDER BY created_at DESC LIMIT 1",
      ),
      byPurposePrefix: db.prepare<[string, string, string, string], { message_id: string; purpose: string }>(
        `SELECT message_id, purpose FROM bot_messages WHERE platform = ? AND chat_id = ? AND substr(purpose, 1, length(?)) = ?
          ORDER BY created_at DESC`,
      ),
      holders: db.prepare<[string, string], { platform: Platform; user_id: string; display_name: string | null; username: string | null }>(
        `SELECT r.platform, r.user_id, p.display_name, p.username FROM roles r
           LEFT JOIN people p ON p.platform = r.platform AND p.user_id = r.user_id
          WHERE r.unit_code = ? AND r.role = ? AND r.revoked_at IS NULL ORDER BY r.id`,
      ),
      signer: db.prepare<[string, string, string], { name: string }>(
        `SELECT coalesce(p.full_name, p.display_name) AS name FROM submissions s JOIN people p ON s.completed_by = p.platform || ':' || p.user_id
          WHERE s.unit_code = ? AND s.form_id = ? AND s.period_key = ?`,
      ),
      unitsUnder: db.prepare<[string, string], UnitRow>(
        `WITH RECURSIVE sub(code) AS (SELECT ? UNION SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code)
         SELECT units.* FROM units JOIN sub USING (code) WHERE units.level IN (SELECT value FROM json_each(?)) ORDER BY units.code`,
      ),
      historyUnder: db.prepare<[string, string, string], { unit_code: string; unit_name: string; period_key: string; field_id: string; old_json: string | null; new_json: string | null; by_name: string; at: string; source: string }>(
        `WITH RECURSIVE sub(code) AS (SELECT ? UNION SELECT u.code FROM units u JOIN sub ON u.parent_code = sub.code)
         SELECT h.unit_code, units.name AS unit_name, h.period_key, h.field_id, h.old_json, h.new_json, h.by_name, h.at, h.source
           FROM answer_history h JOIN sub ON sub.code = h.unit_code JOIN units ON units.code = h.unit_code
          WHERE h.form_id = ? AND h.period_key IN (SELECT value FROM json_each(?)) ORDER BY h.id`,
      ),
      history: db.prepare<[string, string, string], { field_id: string; old_json: string | null; new_json: string | null; by_name: string; at: string }>(
        "SELECT field_id, old_json, new_json, by_name, at FROM answer_history WHERE unit_code = ? AND form_id = ? AND period_key = ? ORDER BY id",
      ),
      targets: db.prepare<[string, string, number], { field_id: string; value: number }>(
        "SELECT field_id, value FROM targets WHERE unit_code = ? AND form_id = ? AND year = ?",
      ),
      lastPing: db.prepare<[string, string, string], { at: number | null }>(
        "SELECT max(at) AS at FROM pings WHERE platform = ? AND user_id = ? AND (form_id = ? OR form_id IS NULL)",
      ),
      fired: db.prepare<[string, string, string, string], { n: number }>(
        "SELECT count(*) AS n FROM reminder_jobs WHERE unit_code = ? AND form_id = ? AND period_key = ? AND step = ? AND fired_at IS NOT NULL",
      ),
      privateLink: db.prepare<[string], { platform: Platform; user_id: string; group_chat_id: string; used_at: string | null }>(
        "SELECT platform, user_id, group_chat_id, used_at FROM private_links WHERE token = ?",
      ),
      sessionsOf: db.prepare<[string, string], SessionRow>(
        "SELECT platform, chat_id, user_id, state_json FROM sessions WHERE platform = ? AND user_id = ? ORDER BY chat_id",
      ),
      sessionsIn: db.prepare<[string, string], SessionRow>(
        "SELECT platform, chat_id, user_id, state_json FROM sessions WHERE platform = ? AND chat_id = ? ORDER BY user_id",
      ),
      review: db.prepare<[string, string, string], { status: "accepted" | "returned"; at: string }>(
        "SELECT status, at FROM reviews WHERE unit_code = ? AND form_id = ? AND period_key = ?",
      ),
      request: db.prepare<[number], RequestRow>(`${REQUEST_SELECT} WHERE q.id = ?`),
      pendingRequests: db.prepare<[], RequestRow>(`${REQUEST_SELECT} WHERE q.status = 'pending' ORDER BY q.id`),
      nextRequestId: db.prepare<[], { n: number }>("SELECT coalesce(max(id), 0) + 1 AS n FROM registration_requests"),
      chatStatus: db.prepare<[string, string], { status: "active" | "gone" }>("SELECT status FROM chat_status WHERE platform = ? AND chat_id = ?"),
    };
  }

  /**
   * Runs `fn` with the reads it repeats answered from memory: for a decision, which only reads (its writes are
   * applied after it returns). Each read still hands out its own copy, so a caller that changes it changes no
   * other's.
   */
  holdingReads<T>(fn: () => T): T {
    if (this.held) return fn();
    this.held = { answers: new Map(), units: new Map() };
    try {
      return fn();
    } finally {
      this.held = undefined;
    }
  }

  unit(code: string): Unit | undefined {
    const held = this.held?.units;
    if (held?.has(code)) {
      const u = held.get(code);
      return u && { ...u };
    }
    const r = this.q.unit.get(code);
    const u = r ? toUnit(r) : undefined;
    held?.set(code, u && { ...u });
    return u;
  }

  children(code: string): Unit[] {
    return this.q.children.all(code).map(toUnit);
  }

  lineage(code: string): Unit[] {
    // Bounded, and stops at a unit seen before: a damaged tree (a cycle) can never loop.
    const out: Unit[] = [];
    const seen = new Set<string>();
    let u = this.unit(code);
    while (u && out.length < 16 && !seen.has(u.code)) {
      out.push(u);
      seen.add(u.code);
      u = u.parentCode ? this.unit(u.parentCode) : undefined;
    }
    return out;
  }

  person(ref: PersonRef): Person | undefined {
    const r = this.q.person.get(ref.platform, ref.userId);
    if (!r) return undefined;
    return { ...ref, name: r.display_name, username: r.username ?? undefined, ...(r.full_name ? { fullName: r.full_name } : {}) };
  }

  roles(ref: PersonRef): RoleGrant[] {
    return this.q.roles.all(ref.platform, ref.userId).map((r) => ({ id: r.id, role: r.role, unitCode: r.unit_code }));
  }

  chatUnit(platform: Platform, chatId: string): string | undefined {
    return this.q.chatUnit.get(platform, chatId)?.unit_code;
  }

  chatsOf(platform: Platform, unitCode: string): string[] {
    return this.q.chatsOf.all(platform, unitCode).map((r) => r.chat_id);
  }

  registrations(unitCode: string): Registration[] {
    return this.q.registrations.all(unitCode).map((r) => ({
      roleId: r.id,
      person: { platform: r.platform, userId: r.user_id, name: r.display_name ?? r.user_id, username: r.username ?? undefined },
      unit: this.unit(r.unit_code)!,
    }));
  }

  session(key: SessionKey): SessionState | undefined {
    const r = this.q.session.get(key.platform, key.chatId, key.userId);
    return r ? (JSON.parse(r.state_json) as SessionState) : undefined;
  }

  answers(k: ReportKey): AnswerMap {
    const held = this.held?.answers;
    const key = held && `${k.unit}\u0000${k.form}\u0000${k.period}`;
    const known = key === undefined ? undefined : held!.get(key);
    if (known) return { ...known };
    const out: AnswerMap = {};
    for (const r of this.q.answers.all(k.unit, k.form, k.period)) {
      out[r.field_id] = r.value_json === null ? null : (JSON.parse(r.value_json) as Value);
    }
    if (key !== undefined) held!.set(key, { ...out });
    return out;
  }

  submission(k: ReportKey): Submission | undefined {
    const r = this.q.submission.get(k.unit, k.form, k.period);
    if (!r) return undefined;
    const completedBy = personRefOf(r.completed_by);
    return { status: r.status, version: r.version, completedAt: r.completed_at ?? undefined, ...(completedBy ? { completedBy } : {}) };
  }

  rounds(form: string, units: readonly string[]): Round[] {
    return this.q.rounds.all(form, JSON.stringify(units)).map(toRound);
  }

  round(id: number): Round | undefined {
    const r = this.q.round.get(id);
    return r ? toRound(r) : undefined;
  }

  nextRoundId(): number {
    return this.q.nextRoundId.get()!.n;
  }

  openPeriodOverride(unit: string, form: string): string | undefined {
    return this.q.openPeriod.get(unit, form)?.period_key;
  }

  botMessage(platform: Platform, chatId: string, messageId: string): SentMessage | undefined {
    const r = this.q.botMessage.get(platform, chatId, messageId);
    return r ? sentMessage(r) : undefined;
  }

  botMessageAfter(platform: Platform, chatId: string, messageId: string): SentMessage | undefined {
    if (!/^\d{1,15}$/.test(messageId)) return undefined;
    const r = this.q.after.get(platform, chatId, Number(messageId));
    return r ? sentMessage(r) : undefined;
  }

  invite(code: string) {
    const r = this.q.invite.get(code);
    return r ? { role: r.role, unitCode: r.unit_code, expiresAt: r.expires_at, usedAt: r.used_at ?? undefined } : undefined;
  }

  submittedUnder(unit: string, form: FormDef, periodKey: string): { submitted: number; expected: number } {
    const reader = new TotalsReader(this.db);
    const states = reader.tally(unit, form.id, periodKey, "all")?.states ?? {};
    return { submitted: (states.submitted ?? 0) + (states.accepted ?? 0), expected: reader.reach(unit, reportingLevel(form)) - (states.exempt ?? 0) };
  }

  unitsUnder(root: string, levels: readonly UnitLevel[]): Unit[] {
    return this.q.unitsUnder.all(root, JSON.stringify(levels)).map(toUnit);
  }

  summaryData(root: Unit, form: FormDef, period: Period): SummaryData {
    return new SummarySource(this.db, form, root).data(period, this.targets(root.code, form.id, period.year));
  }

  targets(unit: string, form: string, year: number): Record<string, number> {
    return Object.fromEntries(this.q.targets.all(unit, form, year).map((r) => [r.field_id, r.value]));
  }

  botMessageByPurpose(platform: Platform, chatId: string, purpose: string): string | undefined {
    return this.q.byPurpose.get(platform, chatId, purpose)?.message_id;
  }

  botMessagesByPurposePrefix(platform: Platform, chatId: string, prefix: string): Array<{ messageId: string; purpose: string }> {
    const latest = new Map<string, string>();
    for (const r of this.q.byPurposePrefix.all(platform, chatId, prefix, prefix)) if (!latest.has(r.purpose)) latest.set(r.purpose, r.message_id);
    return [...latest].map(([purpose, messageId]) => ({ messageId, purpose }));
  }

  holders(unitCode: string, role: Role): Person[] {
    return this.q.holders.all(unitCode, role).map((r) => ({
      platform: r.platform,
      userId: r.user_id,
      name: r.display_name ?? r.user_id,
      username: r.username ?? undefined,
    }));
  }

  history(k: ReportKey) {
    const parse = (j: string | null) => (j === null ? null : (JSON.parse(j) as Value));
    return this.q.history.all(k.unit, k.form, k.period).map((r) => ({ field: r.field_id, old: parse(r.old_json), new: parse(r.new_json), byName: r.by_name, at: r.at }));
  }

  /** Who signs a report's draft: the leader of record, by the full name given at /dangky, else the chat name. */
  signer(k: ReportKey): string | undefined {
    return this.q.signer.get(k.unit, k.form, k.period)?.name;
  }

  /** Every audited change of a form's figures in these periods, oldest first, for the export. */
  /** The audit trail of every unit under `root` (root included) for a form's periods, oldest first, with each unit's name. */
  historyUnder(root: string, form: string, periodKeys: string[]): Array<{ unit: string; unitName: string; period: string; field: string; old: Value | null; new: Value | null; byName: string; at: string; source: string }> {
    const parse = (j: string | null) => (j === null ? null : (JSON.parse(j) as Value));
    return this.q.historyUnder.all(root, form, JSON.stringify(periodKeys)).map((r) => ({
      unit: r.unit_code,
      unitName: r.unit_name,
      period: r.period_key,
      field: r.field_id,
      old: parse(r.old_json),
      new: parse(r.new_json),
      byName: r.by_name,
      at: r.at,
      source: r.source,
    }));
  }

  lastPinged(person: PersonRef, form: string): number | undefined {
    return this.q.lastPing.get(person.platform, person.userId, form)?.at ?? undefined;
  }

  fired(k: ReportKey, step: string): boolean {
    return this.q.fired.get(k.unit, k.form, k.period, step)!.n > 0;
  }

  privateLink(token: string) {
    const r = this.q.privateLink.get(token);
    return r ? { platform: r.platform, userId: r.user_id, groupChatId: r.group_chat_id, usedAt: r.used_at ?? undefined } : undefined;
  }

  sessionsOf(ref: PersonRef) {
    return this.q.sessionsOf.all(ref.platform, ref.userId).map(toSession);
  }

  sessionsIn(platform: Platform, chatId: string) {
    return this.q.sessionsIn.all(platform, chatId).map(toSession);
  }

  review(k: ReportKey) {
    return this.q.review.get(k.unit, k.form, k.period);
  }

  registrationRequest(id: number): RegistrationRequest | undefined {
    const r = this.q.request.get(id);
    return r ? this.toRequest(r) : undefined;
  }

  pendingRequests(): RegistrationRequest[] {
    return this.q.pendingRequests.all().flatMap((r) => this.toRequest(r) ?? []);
  }

  nextRequestId(): number {
    return this.q.nextRequestId.get()!.n;
  }

  fullNameAsked(ref: PersonRef): boolean {
    return !!this.q.person.get(ref.platform, ref.userId)?.full_name_asked_at;
  }

  private toRequest(r: RequestRow): RegistrationRequest | undefined {
    const unit = this.unit(r.unit_code);
    if (!unit) return undefined;
    const person: Person = { platform: r.platform, userId: r.user_id, name: r.display_name ?? r.user_id, username: r.username ?? undefined };
    return { id: r.id, person, unit, chatId: r.chat_id, status: r.status };
  }

  chatStatus(platform: Platform, chatId: string): "active" | "gone" {
    return this.q.chatStatus.get(platform, chatId)?.status ?? "active";
  }

  exemption(k: ReportKey): Exemption | undefined {
    return this.exemptionStore.of(k);
  }

  exemptionHistory(k: ReportKey): ExemptionRecord[] {
    return this.exemptionStore.history(k);
  }

  exemptions(under: string, form: string, period: string): Exemption[] {
    return this.exemptionStore.under(under, form, period);
  }
}

const ROUND_SELECT = "SELECT id, form_id, unit_code, name, start_date, end_date, opened_by, opened_at, closed_at FROM rounds";

interface RoundRow {
  id: number;
  form_id: string;
  unit_code: string;
  name: string;
  start_date: string;
  end_date: string;
  opened_by: string;
  opened_at: string;
  closed_at: string | null;
}

function toRound(r: RoundRow): Round {
  return {
    id: r.id,
    form: r.form_id,
    unit: r.unit_code,
    name: r.name,
    start: r.start_date,
    end: r.end_date,
    openedBy: r.opened_by,
    openedAt: r.opened_at,
    ...(r.closed_at ? { closedAt: r.closed_at } : {}),
  };
}
