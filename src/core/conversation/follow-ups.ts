// What happens because of what just happened: run after a decision's effects are stored, in the same
// transaction, so it reads the new state. When an area submits (or is reviewed) the progress boards of the
// units above are refreshed in place; when the last area of a commune submits, the commune draft goes to the
// commune's groups and the groups above are told, once.
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { parsePeriodKey, periodLabel } from "../periods.js";
import { reportId } from "../report-key.js";
import { PLATFORMS } from "../types.js";
import { type Ctx, formById } from "./context.js";
import { boardPurpose, progressText, summaryOf, summaryText } from "./oversight.js";

export const COMMUNE_COMPLETE = "commune_complete";

export function followUps(effects: Effect[], ctx: Ctx): Effect[] {
  const out: Effect[] = [];
  const seen = new Set<string>();
  for (const e of effects) {
    const changed = (e.type === "submission" && e.status !== "in_progress") || e.type === "review";
    if (!changed) continue;
    const key = reportId(e.report);
    if (seen.has(key)) continue;
    seen.add(key);
    const form = formById(ctx, e.report.form);
    const period = parsePeriodKey(e.report.period);
    if (!form || !period) continue;
    const above = ctx.world.lineage(e.report.unit).slice(1);
    // Refresh every progress board of the units above for this period.
    for (const unit of above) {
      const purpose = boardPurpose(unit.code, e.report.period);
      let text: string | undefined; // built once per unit, only if it has a board somewhere
      for (const platform of PLATFORMS) {
        for (const chatId of ctx.world.chatsOf(platform, unit.code)) {
          const board = ctx.world.botMessageByPurpose(platform, chatId, purpose);
          if (!board) continue;
          text ??= progressText(ctx, summaryOf(ctx, form, unit, period));
          out.push({ type: "reply", out: { platform, chatId, text, editOf: board, purpose } });
        }
      }
    }
    // The commune is complete: its draft and chart go out once.
    const commune = above.find((u) => u.level === "commune");
    if (!commune || e.type !== "submission" || e.status !== "completed") continue;
    const communeReport = { unit: commune.code, form: form.id, period: e.report.period };
    if (ctx.world.fired(communeReport, COMMUNE_COMPLETE)) continue;
    const s = summaryOf(ctx, form, commune, period);
    if (s.missing.length > 0) continue;
    out.push({ type: "mark_fired", report: communeReport, step: COMMUNE_COMPLETE });
    const notice = fill(ctx.messages.commune_complete, { unit: commune.name, period: periodLabel(period), total: s.areas.length });
    for (const platform of PLATFORMS) {
      for (const chatId of ctx.world.chatsOf(platform, commune.code)) {
        out.push({
          type: "reply",
          out: {
            platform,
            chatId,
            text: `${notice}\n${summaryText(ctx, s)}`,
            document: { kind: "summary_report", report: communeReport },
            chart: communeReport,
            purpose: "report",
          },
        });
      }
      for (const unit of above.filter((u) => u.level !== "commune" && u.level !== "area")) {
        for (const chatId of ctx.world.chatsOf(platform, unit.code)) out.push({ type: "reply", out: { platform, chatId, text: notice, purpose: "info" } });
      }
    }
  }
  return out;
}
