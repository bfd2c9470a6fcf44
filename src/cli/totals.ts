// `totals rebuild` and `totals check`: the kept totals made again from the answers, or compared with them.
import type { Prompts } from "../config/load-prompts.js";
import type { DB } from "../store/db.js";
import { checkTotals, rebuildTotals, totalsNeedRebuild } from "../store/totals-rebuild.js";

/** Builds the totals when this database has none yet (or a unit moved), before a command reads them. */
export function totalsReady(db: DB, prompts: Prompts): void {
  if (totalsNeedRebuild(db)) rebuildTotals(db, prompts.forms);
}

/** The `totals` command; its answer, in Vietnamese. */
export function totalsCommand(db: DB, prompts: Prompts, sub: string | undefined): string | undefined {
  if (sub === "rebuild") {
    const r = rebuildTotals(db, prompts.forms);
    return `Đã tính lại số liệu tổng hợp từ các câu trả lời: ${r.units} đơn vị báo cáo, ${r.tallies} dòng tổng, ${(r.ms / 1000).toFixed(1)} giây.`;
  }
  if (sub === "check") {
    if (totalsNeedRebuild(db)) return "Số liệu tổng hợp chưa được tính (hoặc cây đơn vị vừa thay đổi): chạy npm run cli -- totals rebuild.";
    // Every parent of reporting units, not the start-up's few.
    const bad = checkTotals(db, prompts.forms, { sample: "all" });
    if (bad.length === 0) return "Số liệu tổng hợp khớp với các câu trả lời.";
    const lines = bad.slice(0, 10).map((m) => `  ${m.unit} · ${m.form} · ${m.period} · ${m.variant}`);
    return [`Có ${bad.length} dòng tổng không khớp với các câu trả lời (chạy npm run cli -- totals rebuild để tính lại):`, ...lines].join("\n");
  }
  return undefined;
}
