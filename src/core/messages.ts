// The chat vocabulary. Every key must exist in prompts/messages.yaml; the loader refuses to start otherwise,
// so a missing sentence is found at start-up, not in front of a user.
import { z } from "zod";

export const MESSAGE_KEYS = [
  "greeting", "help_header", "help_reporter", "help_staff", "help_everyone",
  "role_reporter", "role_commune_staff", "role_officer", "role_admin",
  "refused", "roles_joiner", "refused_how_register", "refused_how_invite", "unknown_command", "group_only",
  "link_usage", "link_unknown_unit", "link_not_commune", "link_other_commune", "link_done", "not_linked",
  "register_choose", "register_done", "register_already", "register_unknown_area", "register_not_in_group", "register_not_commune_group",
  "invite_done", "invite_invalid", "invite_expired",
  "registrations_header", "registrations_line", "registrations_empty", "registrations_footer",
  "revoke_usage", "revoke_done", "revoke_not_found",
  "period_usage", "period_invalid", "period_wrong_kind", "period_opened", "period_auto",
  // Periods as people type them: ambiguous and out-of-window periods.
  "period_ambiguous", "period_or", "period_out_of_range",
  "kind_month", "kind_quarter", "kind_half", "kind_nine_months", "kind_year",
  // period kinds: weeks, rounds opened by staff, fixed-date campaigns
  "kind_week", "kind_round", "kind_campaign",
  // rounds: /moky <loại> <tên đợt> [từ <ngày> đến <ngày>], the list, closing, naming a round in commands
  "round_none", "round_item", "round_unknown", "round_usage", "round_list", "round_opened", "round_still_open",
  "round_closed", "round_close_none", "round_dates_invalid", "round_open_mark", "round_closed_mark",
  "round_not_open",
  // a hard rule broken on a question that may be skipped: say /bo as well
  "rule_fix_optional",
  "form_start", "already_completed", "form_resume", "section_header", "example_line", "controls_line", "controls_optional", "choice_line",
  "accepted", "accepted_skip", "still_missing", "value_yes", "value_no", "value_none", "yes_label", "no_label",
  "bad_count", "bad_money", "bad_percentage", "bad_yesno", "bad_choice", "bad_text_long", "bad_negative",
  "bad_not_integer", "bad_too_large", "bad_several", "bad_together", "bad_too_many", "bad_media", "rule_fix",
  "warn_jump", "warn_confirm", "warn_keep", "warn_reenter", "warn_reenter_done", "warn_pending",
  // Reading figures: the bot says its reading and asks when it is not sure.
  "read_confirm", "read_which", "read_which_plain", "read_or", "read_scale_many", "read_scale_hint", "read_held",
  "read_later", "read_derived", "read_high", "read_low", "read_unit_unknown", "read_contradiction",
  "back_done", "back_at_start", "skip_not_optional", "paused", "no_session", "not_your_question",
  "not_your_button", "button_stale", "too_long_message",
  "view_header", "view_line", "view_empty", "status_in_progress", "status_completed", "status_reopened",
  "edit_choose", "edit_unknown", "edit_not_applicable", "edit_ask", "edit_done", "edit_reopened", "edit_nothing",
  // An answer that belongs to another question than the one waited for; /sua asked again after a rule.
  "late_passed", "late_not_applicable", "late_unreadable", "late_same", "late_kept", "late_for",
  "late_applied", "late_change", "late_current", "value_unset", "edit_retry",
  "private_offer", "private_started", "private_moved", "private_link_invalid", "private_no_group",
  "completed", "completed_private", "draft_failed",
  "help_oversight", "oversight_where", "summary_title", "summary_completeness", "summary_missing", "summary_more",
  "summary_nothing", "summary_targets", "summary_target_item", "summary_compare", "period_unsupported",
  "progress_title", "progress_deadline_ahead", "progress_deadline_today", "progress_deadline_past",
  "progress_accepted", "progress_submitted", "progress_returned", "progress_in_progress", "progress_not_started",
  "progress_changed", "progress_sections", "progress_group_line", "progress_group_rest", "progress_group_rest_done", "progress_group_rest_lagging", "progress_updated",
  "remind_ping", "remind_left_days", "remind_left_today", "remind_left_late", "remind_result", "remind_none_late",
  "remind_cannot", "remind_cooldown", "remind_staff_late", "remind_officer_late", "remind_officer_item",
  "commune_complete", "area_ref_unknown", "area_ref_usage", "review_not_submitted", "review_accepted",
  "review_need_reason", "review_returned", "history_title", "history_line", "history_empty",
  "targets_title", "targets_line", "targets_unset", "targets_done", "export_caption", "commands_menu",
  // Who may do what: moving a group's link, second leaders approved by staff, revocation and leaving.
  "link_already", "link_taken", "link_moved", "link_sessions_stopped",
  "request_sent", "request_pending", "request_approve_label", "request_refuse_label", "request_approved", "request_refused",
  "request_reason", "request_closed_approved", "request_closed_refused", "request_done", "request_not_found",
  "request_already", "request_not_staff", "request_usage", "requests_header", "requests_line", "requests_footer", "requests_empty",
  "revoke_stopped", "stopped_no_role", "member_left", "left_role_reporter", "left_role_staff", "left_staff_fallback",
  "edit_notice", "edit_review_reopened",
  // A person registered for several areas chooses one.
  "pick_area_choose", "pick_area_unknown",
  // The full name that signs an area's drafts, asked once at /dangky.
  "full_name_ask", "full_name_done", "full_name_invalid", "full_name_skipped",
  // Summaries over several months; comparisons over the areas that reported both periods.
  "summary_members", "summary_member_item", "summary_member_missing", "summary_member_none", "summary_included",
  "summary_compare_base", "summary_compare_base_members", "summary_compare_line", "summary_compare_none",
  "summary_compare_none_members", "progress_members", "progress_months",
  // Platforms without buttons, replies or files (Zalo).
  "plain_choices_hint", "plain_choice_single", "plain_yesno_hint", "plain_confirm_hint",
  "plain_private_offer", "plain_addressee", "draft_link",
  // The web view: /web gives staff and officers a personal, expiring link to their unit's page.
  "web_link", "web_button", "web_revoked", "web_private_only", "web_unavailable",
  // The bot removed from a group or blocked in private, and back again (operations).
  "chat_gone_group", "chat_back_group", "chat_back_here", "person_gone",
  "gone_kicked", "gone_left", "gone_blocked", "gone_not_found", "gone_deactivated", "gone_never_started",
  // A sticker, photo or message kind the bot cannot read, sent to it outside a form (operations).
  "media_unsupported",
  // Charts as photos in the chat: the draft's caption when the summary text rides with the chart.
  "draft_caption",
  // Several report kinds at once: a report named with its kind, choosing the kind, what is open, boards, targets.
  "report_label", "kind_choose", "kind_option", "kind_done", "kind_item", "kind_unknown", "kind_not_for",
  "kind_not_open", "kind_none_open", "help_kinds", "register_done_none", "register_done_several",
  "progress_title_several", "progress_kind", "targets_title_kind", "period_usage_kind",
  // The units that fill a report kind, as a sentence names them (areas, or communes).
  "units_area", "units_commune", "units_short_area", "units_short_commune",
  // Exempt units: /mien and /bomien, the leader told, completeness and boards that name the exempt units.
  "exempt_usage", "exempt_need_reason", "exempt_done", "exempt_changed", "exempt_already_submitted", "exempt_notice",
  "exempt_lifted", "exempt_lift_notice", "exempt_not_exempt", "exempt_list", "exempt_list_item", "exempt_list_none",
  "exempt_period_kind", "summary_exempt", "summary_exempt_names", "summary_exempt_member", "progress_exempt", "progress_group_exempt",
  "history_exempt", "history_exempt_lifted",
  // Figures a report takes from another report kind (a six-month report from the monthly ones): told, not asked.
  "taken_intro", "taken_line", "taken_missing", "taken_none", "taken_fix", "view_taken", "edit_taken",
  // Slow-changing figures (mediators, law bookcases) asked with the unit's last figure offered.
  "offer_last",
  // Kept totals: above a commune, who lags is counted per unit below and in total, never listed name by name.
  "summary_missing_item", "summary_more_below", "progress_states_total",
] as const;

export type MessageKey = (typeof MESSAGE_KEYS)[number];
export type Messages = Record<MessageKey, string>;

export const messagesSchema = z.strictObject(
  Object.fromEntries(MESSAGE_KEYS.map((k) => [k, z.string().min(1)])) as Record<MessageKey, z.ZodString>,
);

const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isNamePart = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);

/**
 * Fills {name} placeholders (a letter or "_", then letters, digits, "_"); unknown placeholders are left visible
 * so a template bug shows, not hides. Every reply fills several templates: one scan, no regular expression.
 */
export function fill(template: string, vars: Record<string, string | number | undefined>): string {
  let out = "";
  let copied = 0;
  let at = template.indexOf("{");
  while (at !== -1) {
    let end = at + 1;
    if (isNameStart(template.charCodeAt(end))) {
      end++;
      while (isNamePart(template.charCodeAt(end))) end++;
      if (template.charCodeAt(end) === 125 /* } */) {
        const v = vars[template.slice(at + 1, end)];
        if (v !== undefined) {
          out += template.slice(copied, at) + String(v);
          copied = end + 1;
        }
        at = template.indexOf("{", end + 1);
        continue;
      }
    }
    at = template.indexOf("{", at + 1);
  }
  return copied === 0 ? template : out + template.slice(copied);
}
