// What happens because of what just happened: run after a decision's effects are stored, in the same
// transaction, so it reads the new state. When a unit submits (or is reviewed) the progress boards of the units
// above that show this report are refreshed in place; when the last unit under its parent submits (the last area
// of a commune, or the last commune of a district for a form communes fill), the parent's draft goes to its
// groups and the nearest group above is told, once per report kind and period.
import { periodOfKey } from "../period-of-key.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { formsOverseenBy } from "../open-reports.js";
import { reportId, type ReportKey } from "../report-key.js";
import { EDITS_IN_PLACE, PLATFORMS, type Unit } from "../types.js";
import { type Ctx, formById, reportLabel, unitWords } from "./context.js";
import { boardPrefix, boardReports, progressText, type BoardPart } from "./progress-text.js";
import { exemptNote, summaryOf, summaryText } from "./summary-text.js";

/** The one-time notice "all units under this one have submitted" (kept under its first name in storage). */
export const COMMUNE_COMPLETE = "commune_complete";

export function followUps(effects: Effect[], ctx: Ctx): Effect[] {
  const out: Effect[] = [];
  const seen = new Set<string>();
  for (const e of effects) {
    const changed = (e.type === "submission" && e.status !== "in_progress") || e.type === "review" || e.type === "exempt" || e.type === "lift_exemption";
    if (!changed || seen.has(reportId(e.report))) continue;
    seen.add(reportId(e.report));
    const form = formById(ctx, e.report.form);
    const period = form ? periodOfKey(ctx.world, form, e.report.period) : undefined;
    if (!form || !period) continue;
    const lineage = ctx.world.lineage(e.report.unit);
    const above = lineage.slice(1);
    above.forEach((unit, i) => out.push(...refreshBoards(ctx, unit, e.report, lineage[i]!)));
    // Excusing the last unit that lagged completes its parent as surely as that unit's submission would.
    if ((e.type === "submission" && e.status === "completed") || e.type === "exempt") out.push(...completion(ctx, above, e.report));
  }
  return out;
}

/**
 * Every progress board of `unit` that shows this report, rebuilt with the reports it shows. `via` is the unit
 * directly below `unit` on the report's way up (the report's own unit, or the commune it lies in). Where a board
 * cannot be edited in place (EDITS_IN_PLACE), its refresh is a new message: it goes only when `via` itself is
 * done — every area for a commune's board, as before, but a province's board once per commune, not once per area.
 */
function refreshBoards(ctx: Ctx, unit: Unit, report: ReportKey, via: Unit): Effect[] {
  const out: Effect[] = [];
  const texts = new Map<string, string>(); // built once per board purpose
  let viaDone: boolean | undefined;
  const isViaDone = () => (viaDone ??= via.code === report.unit || completeUnder(ctx, via, report));
  for (const platform of PLATFORMS) {
    if (!EDITS_IN_PLACE[platform] && !isViaDone()) continue;
    for (const chatId of ctx.world.chatsOf(platform, unit.code)) {
      for (const board of ctx.world.botMessagesByPurposePrefix(platform, chatId, boardPrefix(unit.code))) {
        const shown = boardReports(board.purpose, unit.code);
        if (!shown?.some((r) => r.form === report.form && r.period === report.period)) continue;
        let text = texts.get(board.purpose);
        if (text === undefined) {
          const listed = formsOverseenBy(ctx.forms, unit);
          const parts = shown.flatMap((r): BoardPart[] => {
            const form = formById(ctx, r.form);
            const period = form ? periodOfKey(ctx.world, form, r.period) : undefined;
            return form && period ? [{ s: summaryOf(ctx, form, unit, period), number: listed.indexOf(form) + 1 }] : [];
          });
          text = parts.length > 0 ? progressText(ctx, parts) : "";
          texts.set(board.purpose, text);
        }
        if (text) out.push({ type: "reply", out: { platform, chatId, text, editOf: board.messageId, purpose: board.purpose } });
      }
    }
  }
  return out;
}

/** Whether every unit under `unit` expected to submit this report has, by the kept counts. */
function completeUnder(ctx: Ctx, unit: Unit, report: ReportKey): boolean {
  const form = formById(ctx, report.form);
  if (!form) return false;
  const so = ctx.world.submittedUnder(unit.code, form, report.period);
  return so.submitted > 0 && so.submitted >= so.expected;
}

/** The last unit under the report's parent has submitted: the parent's draft and chart go out once, the nearest group above is told. */
function completion(ctx: Ctx, above: Unit[], report: ReportKey): Effect[] {
  const [parent, ...upper] = above;
  const form = formById(ctx, report.form)!;
  const period = periodOfKey(ctx.world, form, report.period)!;
  if (!parent) return [];
  const parentReport = { unit: parent.code, form: form.id, period: report.period };
  if (ctx.world.fired(parentReport, COMMUNE_COMPLETE)) return [];
  // The kept counts say whether this was the last one; only then is the whole summary built.
  const so = ctx.world.submittedUnder(parent.code, form, report.period);
  if (so.submitted < so.expected || so.submitted === 0) return [];
  const s = summaryOf(ctx, form, parent, period);
  if (s.counts.submitted < s.counts.expected || s.counts.submitted === 0) return [];
  const out: Effect[] = [{ type: "mark_fired", report: parentReport, step: COMMUNE_COMPLETE }];
  const notice = fill(ctx.messages.commune_complete, { unit: parent.name, period: reportLabel(ctx, form, period), total: s.counts.expected, exempt: exemptNote(ctx, s), ...unitWords(ctx, form) });
  // Told: the nearest unit above with a group. Every group above would be told of every commune of the country
  // (3,300 notices a period in the national group); the units further up follow on their boards.
  const told = upper.find((unit) => PLATFORMS.some((platform) => ctx.world.chatsOf(platform, unit.code).length > 0));
  for (const platform of PLATFORMS) {
    for (const chatId of ctx.world.chatsOf(platform, parent.code)) {
      out.push({
        type: "reply",
        out: { platform, chatId, text: `${notice}\n${summaryText(ctx, s)}`, document: { kind: "summary_report", report: parentReport }, chart: parentReport, purpose: "report" },
      });
    }
    for (const chatId of told ? ctx.world.chatsOf(platform, told.code) : []) out.push({ type: "reply", out: { platform, chatId, text: notice, purpose: "info" } });
  }
  return out;
}
