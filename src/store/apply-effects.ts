// Applies the core's effects to SQLite. Called inside the transaction that also marks the update as
// processed, so either all of a decision is stored (answers, session, outgoing replies) or none of it.
import type { DB } from "./db.js";
import type { Effect } from "../core/effects.js";
import { personKey } from "./sql-world.js";
import { webLinkWriter } from "./web-links.js";
import { ExemptionStore } from "./exemptions.js";
import type { FormDef } from "../core/forms/schema.js";
import type { ReportKey } from "../core/report-key.js";
import { reportId, TotalsKeeper } from "./totals.js";
import { moveQueuedRows, queueMessage } from "./outbox-store.js";

export type EffectApplier = (effects: Effect[], now: Date) => void;

/**
 * The reports whose figures, state or review a batch of effects changes (the kept totals move with them), and
 * among them those it changes only in their answers (saved, cleared, or the report begun), each with whether
 * the batch clears any of its answers.
 */
function reportsChangedBy(effects: Effect[]): { changed: ReportKey[]; answersOnly: Map<string, boolean> } {
  const changed: ReportKey[] = [];
  const answers = new Map<string, boolean>();
  const other = new Set<string>();
  for (const e of effects) {
    if (e.type === "save_answers" || e.type === "clear_answers" || (e.type === "submission" && e.status === "in_progress")) {
      const id = reportId(e.report);
      changed.push(e.report);
      answers.set(id, answers.get(id) === true || e.type === "clear_answers");
    } else if (e.type === "submission" || e.type === "review" || e.type === "exempt" || e.type === "lift_exemption") {
      changed.push(e.report);
      other.add(reportId(e.report));
    }
  }
  for (const id of other) answers.delete(id);
  return { changed, answersOnly: answers };
}

/** `forms`: the forms whose reports the effects may change (their totals are kept in the same transaction). */
export function effectApplier(db: DB, forms: readonly FormDef[]): EffectApplier {
  const s = {
    person: db.prepare(
      `INSERT INTO people (platform, user_id, display_name, username, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (platform, user_id) DO UPDATE SET display_name = excluded.display_name, username = excluded.username,
         updated_at = excluded.updated_at
       WHERE display_name IS NOT excluded.display_name OR username IS NOT excluded.username`,
    ),
    oldAnswer: db.prepare<[string, string, string, string], { value_json: string | null }>(
      "SELECT value_json FROM answers WHERE unit_code = ? AND form_id = ? AND period_key = ? AND field_id = ?",
    ),
    answer: db.prepare(
      `INSERT INTO answers (unit_code, form_id, period_key, field_id, value_json, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (unit_code, form_id, period_key, field_id) DO UPDATE SET value_json = excluded.value_json,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ),
    history: db.prepare(
      `INSERT INTO answer_history (unit_code, form_id, period_key, field_id, old_json, new_json, by_person, by_name, at, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    clearAnswer: db.prepare("DELETE FROM answers WHERE unit_code = ? AND form_id = ? AND period_key = ? AND field_id = ?"),
    session: db.prepare(
      `INSERT INTO sessions (platform, chat_id, user_id, state_json, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (platform, chat_id, user_id) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at`,
    ),
    clearSession: db.prepare("DELETE FROM sessions WHERE platform = ? AND chat_id = ? AND user_id = ?"),
    startSubmission: db.prepare(
      `INSERT INTO submissions (unit_code, form_id, period_key, status, started_at) VALUES (?, ?, ?, 'in_progress', ?)
       ON CONFLICT DO NOTHING`,
    ),
    completeSubmission: db.prepare(
      `INSERT INTO submissions (unit_code, form_id, period_key, status, started_at, completed_at, completed_by, version)
       VALUES (?, ?, ?, 'completed', ?, ?, ?, 1)
       ON CONFLICT DO UPDATE SET status = 'completed', completed_at = excluded.completed_at,
         completed_by = excluded.completed_by, version = version + 1`,
    ),
    // A correction keeps the leader of record as the author.
    recompleteSubmission: db.prepare(
      `INSERT INTO submissions (unit_code, form_id, period_key, status, started_at, completed_at, completed_by, version)
       VALUES (?, ?, ?, 'completed', ?, ?, ?, 1)
       ON CONFLICT DO UPDATE SET status = 'completed', completed_at = excluded.completed_at,
         completed_by = coalesce(completed_by, excluded.completed_by), version = version + 1`,
    ),
    reopenSubmission: db.prepare(
      "UPDATE submissions SET status = 'reopened' WHERE unit_code = ? AND form_id = ? AND period_key = ?",
    ),
    hasRole: db.prepare(
      "SELECT 1 FROM roles WHERE platform = ? AND user_id = ? AND role = ? AND unit_code = ? AND revoked_at IS NULL",
    ),
    grant: db.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at, granted_by) VALUES (?, ?, ?, ?, ?, ?)"),
    revoke: db.prepare("UPDATE roles SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL"),
    useInvite: db.prepare("UPDATE invites SET used_at = ?, used_by = ? WHERE code = ? AND used_at IS NULL"),
    chatUnit: db.prepare<[string, string], { unit_code: string }>("SELECT unit_code FROM chats WHERE platform = ? AND chat_id = ?"),
    linkLog: db.prepare(
      "INSERT INTO chat_link_log (platform, chat_id, old_unit, new_unit, by_person, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    request: db.prepare(
      "INSERT INTO registration_requests (id, platform, user_id, unit_code, chat_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    decideRequest: db.prepare(
      `UPDATE registration_requests SET status = ?, reason = ?, decided_by = ?, decided_by_name = ?, decided_at = ?
        WHERE id = ? AND status = 'pending'`,
    ),
    // An edit still queued is superseded by a newer one of the same message: only the latest text is worth sending
    // (a province's board is rebuilt at every submission below it, faster than a group's pace lets edits out).
    // `status IN (…)` is the queue index's own condition, so that only the chat's queued rows are read (SQLite does
    // not infer it from `status = 'pending'`, and would scan the whole outbox).
    dropSupersededEdits: db.prepare(
      `UPDATE outbox SET status = 'dropped', error = 'superseded by a newer edit of the same message'
        WHERE platform = ? AND chat_id = ? AND status IN ('pending','sending') AND status = 'pending'
          AND json_extract(payload_json, '$.editOf') = ?`,
    ),
    // The same index, the same way.
    dropQuestions: db.prepare(
      `UPDATE outbox SET status = 'dropped', error = 'the person may no longer answer'
        WHERE platform = ? AND chat_id = ? AND status IN ('pending','sending') AND status = 'pending'
          AND json_extract(payload_json, '$.owner') = ? AND json_extract(payload_json, '$.purpose') = 'question'`,
    ),
    fullNameAsked: db.prepare("UPDATE people SET full_name_asked_at = coalesce(full_name_asked_at, ?) WHERE platform = ? AND user_id = ?"),
    fullName: db.prepare("UPDATE people SET full_name = ?, full_name_asked_at = coalesce(full_name_asked_at, ?) WHERE platform = ? AND user_id = ?"),
    link: db.prepare(
      `INSERT INTO chats (platform, chat_id, unit_code, title, linked_by, linked_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform, chat_id) DO UPDATE SET unit_code = excluded.unit_code, title = excluded.title,
         linked_by = excluded.linked_by, linked_at = excluded.linked_at`,
    ),
    openPeriod: db.prepare(
      `INSERT INTO open_periods (unit_code, form_id, period_key, opened_by, opened_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (unit_code, form_id) DO UPDATE SET period_key = excluded.period_key, opened_by = excluded.opened_by,
         opened_at = excluded.opened_at`,
    ),
    closePeriod: db.prepare("DELETE FROM open_periods WHERE unit_code = ? AND form_id = ?"),
    openRound: db.prepare(
      `INSERT INTO rounds (id, form_id, unit_code, name, start_date, end_date, opened_by, opened_by_name, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    closeRound: db.prepare("UPDATE rounds SET closed_at = ?, closed_by = ? WHERE id = ? AND closed_at IS NULL"),
    privateLink: db.prepare("INSERT INTO private_links (token, platform, user_id, group_chat_id, created_at) VALUES (?, ?, ?, ?, ?)"),
    usePrivateLink: db.prepare("UPDATE private_links SET used_at = ? WHERE token = ?"),
    review: db.prepare(
      `INSERT INTO reviews (unit_code, form_id, period_key, status, reason, by_person, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET status = excluded.status, reason = excluded.reason, by_person = excluded.by_person,
         by_name = excluded.by_name, at = excluded.at`,
    ),
    ping: db.prepare("INSERT INTO pings (platform, user_id, unit_code, form_id, period_key, at) VALUES (?, ?, ?, ?, ?, ?)"),
    target: db.prepare(
      `INSERT INTO targets (unit_code, form_id, year, field_id, value, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at`,
    ),
    fired: db.prepare(
      `INSERT INTO reminder_jobs (unit_code, form_id, period_key, step, due_at, fired_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET fired_at = excluded.fired_at WHERE fired_at IS NULL`,
    ),
    outbox: db.prepare("INSERT INTO outbox (platform, chat_id, payload_json, created_at, paced) VALUES (?, ?, ?, ?, ?)"),
    // The drainer drops what is queued for a gone chat, with this reason, before its next send.
    chatStatus: db.prepare(
      `INSERT INTO chat_status (platform, chat_id, status, reason, changed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (platform, chat_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, changed_at = excluded.changed_at`,
    ),
  };

  const webLinks = webLinkWriter(db);
  const exemptions = new ExemptionStore(db);

  // A group upgraded to a supergroup: everything keyed by the old id moves to the new one.
  const migrate = (platform: string, from: string, to: string) => {
    db.prepare("UPDATE OR REPLACE chats SET chat_id = ? WHERE platform = ? AND chat_id = ?").run(to, platform, from);
    db.prepare("UPDATE OR REPLACE sessions SET chat_id = ? WHERE platform = ? AND chat_id = ?").run(to, platform, from);
    db.prepare(
      `UPDATE sessions SET state_json = json_set(state_json, '$.homeChatId', ?)
        WHERE platform = ? AND json_extract(state_json, '$.homeChatId') = ?`,
    ).run(to, platform, from);
    db.prepare("UPDATE OR REPLACE bot_messages SET chat_id = ? WHERE platform = ? AND chat_id = ?").run(to, platform, from);
    db.prepare("UPDATE private_links SET group_chat_id = ? WHERE platform = ? AND group_chat_id = ?").run(to, platform, from);
    moveQueuedRows(db, platform, from, to);
    db.prepare("DELETE FROM chat_status WHERE platform = ? AND chat_id = ?").run(platform, from);
  };

  const totals = new TotalsKeeper(db, forms);
  return (effects, now) => {
    const at = now.toISOString();
    const completing = effects.flatMap((e) => (e.type === "submission" && e.status === "completed" ? [e.report] : []));
    const { changed, answersOnly } = reportsChangedBy(effects);
    const tracked = totals.track(changed, completing, answersOnly);
    for (const e of effects) {
      switch (e.type) {
        case "reply": {
          const { platform, chatId, ...payload } = e.out;
          const paced = payload.callback && !payload.text ? 0 : 1;
          if (payload.editOf) s.dropSupersededEdits.run(platform, chatId, payload.editOf);
          queueMessage(db, s.outbox, { platform, chatId, payloadJson: JSON.stringify(payload), createdAt: now.getTime(), paced });
          break;
        }
        case "save_person":
          s.person.run(e.person.platform, e.person.userId, e.person.name, e.person.username ?? null, at);
          break;
        case "save_answers": {
          const r = e.report;
          for (const [field, value] of Object.entries(e.values)) {
            const json = value === null ? null : JSON.stringify(value);
            if (e.audit) {
              const old = s.oldAnswer.get(r.unit, r.form, r.period, field);
              s.history.run(r.unit, r.form, r.period, field, old?.value_json ?? null, json, personKey(e.by), e.by.name, at, e.audit);
            }
            s.answer.run(r.unit, r.form, r.period, field, json, personKey(e.by), at);
          }
          break;
        }
        case "clear_answers":
          for (const field of e.fields) s.clearAnswer.run(e.report.unit, e.report.form, e.report.period, field);
          break;
        case "set_session":
          s.session.run(e.key.platform, e.key.chatId, e.key.userId, JSON.stringify(e.state), at);
          break;
        case "clear_session":
          s.clearSession.run(e.key.platform, e.key.chatId, e.key.userId);
          break;
        case "submission": {
          const r = e.report;
          if (e.status === "in_progress") s.startSubmission.run(r.unit, r.form, r.period, at);
          else if (e.status === "completed") {
            (e.keepAuthor ? s.recompleteSubmission : s.completeSubmission).run(r.unit, r.form, r.period, at, at, personKey(e.by));
          } else s.reopenSubmission.run(r.unit, r.form, r.period);
          break;
        }
        case "grant_role":
          if (!s.hasRole.get(e.person.platform, e.person.userId, e.role, e.unit)) {
            s.grant.run(e.person.platform, e.person.userId, e.role, e.unit, at, e.by);
          }
          break;
        case "revoke_role":
          s.revoke.run(at, e.by, e.roleId);
          break;
        case "use_invite":
          s.useInvite.run(at, personKey(e.by), e.code);
          break;
        case "link_chat": {
          // Every link is recorded, with the unit the group was linked to before.
          const old = s.chatUnit.get(e.platform, e.chatId)?.unit_code ?? null;
          s.link.run(e.platform, e.chatId, e.unit, e.title ?? null, personKey(e.by), at);
          s.linkLog.run(e.platform, e.chatId, old, e.unit, personKey(e.by), e.by.name, at);
          break;
        }
        case "migrate_chat":
          migrate(e.platform, e.from, e.to);
          break;
        case "open_period":
          if (e.period) s.openPeriod.run(e.unit, e.form, e.period, personKey(e.by), at);
          else s.closePeriod.run(e.unit, e.form);
          break;
        case "open_round": {
          const r = e.round;
          s.openRound.run(r.id, r.form, r.unit, r.name, r.start, r.end, personKey(e.by), e.by.name, at);
          break;
        }
        case "close_round":
          s.closeRound.run(at, personKey(e.by), e.id);
          break;
        case "private_link":
          s.privateLink.run(e.token, e.person.platform, e.person.userId, e.groupChatId, at);
          break;
        case "use_private_link":
          s.usePrivateLink.run(at, e.token);
          break;
        case "review":
          s.review.run(e.report.unit, e.report.form, e.report.period, e.status, e.reason ?? null, personKey(e.by), e.by.name, at);
          break;
        case "ping":
          s.ping.run(e.person.platform, e.person.userId, e.report.unit, e.report.form, e.report.period, now.getTime());
          break;
        case "set_target":
          s.target.run(e.unit, e.form, e.year, e.field, e.value, personKey(e.by), at);
          break;
        case "mark_fired":
          s.fired.run(e.report.unit, e.report.form, e.report.period, e.step, now.getTime(), now.getTime());
          break;
        case "request_registration":
          s.request.run(e.id, e.person.platform, e.person.userId, e.unit, e.chatId, at);
          break;
        case "decide_request":
          s.decideRequest.run(e.status, e.reason ?? null, personKey(e.by), e.by.name, at, e.id);
          break;
        case "drop_questions":
          for (const chatId of e.chatIds) s.dropQuestions.run(e.platform, chatId, e.userId);
          break;
        case "full_name_asked":
          s.fullNameAsked.run(at, e.person.platform, e.person.userId);
          break;
        case "set_full_name":
          s.fullName.run(e.fullName, at, e.person.platform, e.person.userId);
          break;
        case "web_link":
          webLinks.issue(e.token, e.person, e.expiresAt, now.getTime());
          break;
        case "revoke_web_links":
          webLinks.revokeAll(e.person, now.getTime());
          break;
        case "chat_status":
          s.chatStatus.run(e.platform, e.chatId, e.status, e.reason ?? null, at);
          break;
        case "exempt":
          exemptions.grant(e.report, e.reason, personKey(e.by), e.by.name, at);
          break;
        case "lift_exemption":
          exemptions.lift(e.report, personKey(e.by), e.by.name, at);
          break;
      }
    }
    totals.commit(tracked);
  };
}
