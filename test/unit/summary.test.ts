// The aggregation rules behind /tonghop and the commune draft: comparisons over the areas that reported both
// periods, the base of means and yes-counts, and completeness month by month for a quarter of a monthly form.
import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { summarize, type SummaryData } from "../../src/core/aggregate/summary.js";
import { buildSummaryReport } from "../../src/core/report/build-summary-report.js";
import type { Block, ReportDocument } from "../../src/core/report/document.js";
import { periodKey, type Period } from "../../src/core/periods.js";
import type { AnswerMap, Unit } from "../../src/core/types.js";
import { COMPLETE_FORM } from "../support/form-values.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);
const form = prompts.forms.find((f) => f.id === "mttq_dinh_ky")!;

const commune: Unit = { code: "25747", name: "Xã Tân Khai", level: "commune", parentCode: "75" };
const province: Unit = { code: "75", name: "Tỉnh Đồng Nai", level: "province", parentCode: null };
const A: Unit = { code: "25747-01", name: "Ấp Bến Đò", level: "area", parentCode: "25747" };
const B: Unit = { code: "25747-02", name: "Ấp Cây Dầu", level: "area", parentCode: "25747" };
const C: Unit = { code: "25747-03", name: "Ấp Sóc Ruộng", level: "area", parentCode: "25747" };

const month = (index: number, year = 2026): Period => ({ kind: "month", year, index });
const DEC = month(12);
const NOV = month(11);
const QUARTER: Period = { kind: "quarter", year: 2026, index: 4 };

/** Answers of a submitted month: the complete form with some figures changed. */
const filled = (over: AnswerMap): AnswerMap => ({ ...COMPLETE_FORM, ...over });

/** Submitted reports by area and month ("2026-M12"); unlisted ones were never submitted. */
type Reports = Record<string, Partial<Record<string, AnswerMap>>>;

function data(reports: Reports, period: Period, areas: Unit[] = [A, B, C]): SummaryData {
  return {
    form,
    root: commune,
    period,
    areas: areas.map((unit) => ({ unit, group: unit })),
    answers: (u, k) => reports[u]?.[k],
    submission: (u, k) => (reports[u]?.[k] ? { status: "completed", version: 1, completedAt: "2026-12-05T02:00:00.000Z" } : undefined),
    review: () => undefined,
    targets: {},
  };
}

function text(doc: ReportDocument): string {
  const block = (b: Block): string =>
    b.kind === "heading"
      ? b.text
      : b.kind === "paragraph"
        ? b.runs.map((r) => (typeof r === "string" ? r : r.text)).join("")
        : b.kind === "bullets"
          ? b.items.map((i) => `- ${i}`).join("\n")
          : "";
  return [...doc.intro.map((p) => p.map((r) => (typeof r === "string" ? r : r.text)).join("")), ...doc.body.map(block)].join("\n");
}

function draft(d: SummaryData, now = "2026-12-10T09:00:00+07:00"): ReportDocument {
  return buildSummaryReport({ summary: summarize(d)!, parent: province, texts: prompts.report, messages: prompts.messages, now: new Date(now) });
}

// The example: December from two areas, November from one.
const DEC_VS_NOV: Reports = {
  [A.code]: { "2026-M11": filled({ tt_luot_nguoi: 300 }), "2026-M12": filled({ tt_luot_nguoi: 3850, gdvh_ty_le: 93.5 }) },
  [B.code]: { "2026-M12": filled({ tt_so_buoi: 3, tt_luot_nguoi: 200, gdvh_ty_le: null, txct_co: true, txct_so_diem: 1, txct_dai_bieu: 2, txct_cu_tri: 80, txct_phat_bieu: 5, txct_kien_nghi: 7 }) },
};

describe("summaries compare like with like", () => {
  it("compares only the areas that reported both periods, and says it is not all of them", () => {
    const s = summarize(data(DEC_VS_NOV, DEC))!;
    expect(s.totals.values.tt_luot_nguoi).toBe(4050);
    expect(s.previous!.base.map((u) => u.code)).toEqual([A.code]);
    expect(s.previous!.whole).toBe(false);
    // Ấp Bến Đò against itself: 3.850 now, 300 then.
    expect(s.previous!.current.values.tt_luot_nguoi).toBe(3850);
    expect(s.previous!.totals.values.tt_luot_nguoi).toBe(300);
  });

  it("needs no note when the same areas reported both periods", () => {
    const s = summarize(data({ [A.code]: DEC_VS_NOV[A.code]!, [B.code]: { "2026-M11": filled({}), "2026-M12": filled({}) } }, DEC))!;
    expect(s.previous!.whole).toBe(true);
    expect(s.previous!.current.values).toEqual(s.totals.values);
  });

  it("leaves out an area that reported only the earlier period", () => {
    const s = summarize(data({ [A.code]: DEC_VS_NOV[A.code]!, [B.code]: { "2026-M11": filled({ tt_luot_nguoi: 5000 }) } }, DEC))!;
    expect(s.previous!.base.map((u) => u.code)).toEqual([A.code]);
    expect(s.previous!.totals.values.tt_luot_nguoi).toBe(300);
    expect(s.previous!.whole).toBe(false);
  });

  it("compares nothing when no area reported both periods, and records that", () => {
    const s = summarize(data({ [A.code]: { "2026-M12": filled({}) }, [B.code]: { "2026-M11": filled({}) } }, DEC))!;
    expect(s.previous).toBeUndefined();
    expect(s.incomparable.map(periodKey)).toEqual(["2026-M11"]);
    // Nothing at all the year before: nothing to record.
    expect(s.lastYear).toBeUndefined();
  });

  it("writes the comparison over the common areas and names that base in the sentence", () => {
    const t = text(draft(data(DEC_VS_NOV, DEC)));
    expect(t).toContain(
      "thu hút 4.050 lượt người tham dự, tăng 3.550 lượt người so với tháng 11/2026 (tính trên 1 khu dân cư báo cáo cả hai kỳ).",
    );
    expect(t).not.toContain("tăng 3.750");
  });

  it("writes no base when the sets are the same", () => {
    const t = text(draft(data({ [A.code]: DEC_VS_NOV[A.code]!, [B.code]: { "2026-M11": filled({}), "2026-M12": filled({ tt_luot_nguoi: 3850 }) } }, DEC)));
    expect(t).toContain("thu hút 7.700 lượt người tham dự, tăng 3.550 lượt người so với tháng 11/2026.");
    expect(t).not.toContain("tính trên");
  });

  it("puts the comparison in the appendix as its own table over the same areas, with the base under it", () => {
    const doc = draft(data(DEC_VS_NOV, DEC));
    const table = doc.appendix!.moreTables!.find((t) => t.title === "So sánh với tháng 11/2026")!;
    expect(table.columns).toEqual(["STT", "Chỉ tiêu", "Đơn vị tính", "Tháng 12/2026", "Tháng 11/2026", "Tăng (+), giảm (−)"]);
    expect(table.rows.find((r) => r[1] === "Số lượt người tham dự")).toEqual(["2", "Số lượt người tham dự", "lượt người", "3.850", "300", "+3.550"]);
    expect(table.rows.find((r) => r[1] === "Số buổi tuyên truyền, phổ biến pháp luật")!.slice(3)).toEqual(["12", "12", "0"]);
    expect(table.notes).toContain("Chỉ tính 1 khu dân cư báo cáo cả hai kỳ: Ấp Bến Đò.");
  });

  it("compares with the same period last year the same way", () => {
    const reports = {
      [A.code]: { ...DEC_VS_NOV[A.code]!, "2025-M12": filled({ tt_luot_nguoi: 3000 }) },
      [B.code]: DEC_VS_NOV[B.code]!,
    };
    const doc = draft(data(reports, DEC));
    expect(text(doc)).toContain("tăng 850 lượt người so với cùng kỳ năm 2025 (tính trên 1 khu dân cư báo cáo cả hai kỳ).");
    expect(doc.appendix!.moreTables!.map((t) => t.title)).toEqual(["So sánh với tháng 11/2026", "So sánh với cùng kỳ năm 2025"]);
  });
});

describe("means and yes-counts name their base", () => {
  it("counts how many areas gave each figure", () => {
    const s = summarize(data(DEC_VS_NOV, DEC))!;
    expect(s.totals.units).toBe(2);
    expect(s.totals.counts.gdvh_ty_le).toBe(1);
    expect(s.totals.counts.tt_so_buoi).toBe(2);
    expect(s.totals.yes.txct_co).toEqual({ yes: 1, of: 2 });
  });

  it("says the mean is over 1 of the 2 areas that gave the figure", () => {
    const doc = draft(data(DEC_VS_NOV, DEC));
    const t = text(doc);
    expect(t).toContain("Tỷ lệ hộ gia đình đạt danh hiệu “Gia đình văn hóa” bình quân ở 1/2 khu dân cư có số liệu là 93,5%.");
    expect(t).not.toContain("bình quân ở các khu dân cư");
    expect(doc.appendix!.table.notes ?? doc.appendix!.moreTables!.at(0)!.notes).toBeDefined();
  });

  it("says how many areas held voter meetings out of how many gave the figure", () => {
    expect(text(draft(data(DEC_VS_NOV, DEC)))).toContain(
      "Trong số 2 khu dân cư có số liệu, có 1 khu dân cư phối hợp tổ chức tiếp xúc cử tri tại 1 điểm, với 2 lượt đại biểu và 80 cử tri tham dự;",
    );
  });

  it("explains the yes-count and the mean under the appendix table", () => {
    const doc = draft(data(DEC_VS_NOV, DEC));
    const notes = [doc.appendix!.table, ...doc.appendix!.moreTables!].flatMap((t) => t.notes ?? []);
    expect(notes).toContain("Ghi chú: “-” là không có số liệu; “0” là không phát sinh.");
    expect(notes).toContain("Dòng có/không: cột “Tổng cộng” ghi số khu dân cư trả lời “có”/số khu dân cư có số liệu.");
    expect(notes).toContain("Tỷ lệ hộ đạt danh hiệu “Gia đình văn hóa”: cột “Tổng cộng” là số bình quân ở 1/2 khu dân cư có số liệu.");
  });
});

describe("a quarter of a monthly form states completeness month by month", () => {
  // Ấp Bến Đò sent October and November, Ấp Cây Dầu only December, Ấp Sóc Ruộng nothing.
  const Q: Reports = {
    [A.code]: { "2026-M10": filled({ tt_so_buoi: 2 }), "2026-M11": filled({ tt_so_buoi: 3 }) },
    [B.code]: { "2026-M12": filled({ tt_so_buoi: 4 }) },
  };

  it("counts each month, and which months each area's figures include", () => {
    const s = summarize(data(Q, QUARTER))!;
    expect(s.members.map((m) => [periodKey(m.period), m.submitted, m.total])).toEqual([
      ["2026-M10", 1, 3],
      ["2026-M11", 1, 3],
      ["2026-M12", 1, 3],
    ]);
    expect(s.members[2]!.missing.map((u) => u.code)).toEqual([A.code, C.code]);
    expect(s.submitted).toEqual([]);
    expect(s.contributing.map((a) => a.unit.code)).toEqual([A.code, B.code]);
    expect(s.areas[0]!.membersDone.map(periodKey)).toEqual(["2026-M10", "2026-M11"]);
    expect(s.totals.values.tt_so_buoi).toBe(9);
  });

  it("writes one completeness sentence that matches the figures below it", () => {
    const t = text(draft(data(Q, QUARTER)));
    expect(t).toContain(
      "Đến ngày 10/12/2026, số khu dân cư đã nộp báo cáo từng tháng: tháng 10/2026: 1/3; tháng 11/2026: 1/3; tháng 12/2026: 1/3. " +
        "Còn thiếu báo cáo tháng 10/2026 của Ấp Cây Dầu, Ấp Sóc Ruộng; tháng 11/2026 của Ấp Cây Dầu, Ấp Sóc Ruộng; tháng 12/2026 của Ấp Bến Đò, Ấp Sóc Ruộng. " +
        "Số liệu dưới đây tổng hợp từ 3 báo cáo tháng đã nộp của 2 khu dân cư.",
    );
    expect(t).not.toMatch(/có \d+\/3 khu dân cư đã nộp báo cáo/);
  });

  it("heads each area's appendix column with the months it includes", () => {
    const columns = draft(data(Q, QUARTER)).appendix!.table.columns;
    expect(columns.slice(3)).toEqual(["Ấp Bến Đò\n(tháng 10, 11)", "Ấp Cây Dầu\n(tháng 12)", "Ấp Sóc Ruộng\n(chưa\u00a0nộp)", "Tổng cộng"]);
  });

  it("compares quarters only over areas that sent every month of both", () => {
    const full = (n: number) => ({ "2026-M7": filled({ tt_so_buoi: n }), "2026-M8": filled({ tt_so_buoi: n }), "2026-M9": filled({ tt_so_buoi: n }) });
    const reports = {
      [A.code]: { ...full(1), "2026-M10": filled({ tt_so_buoi: 2 }), "2026-M11": filled({ tt_so_buoi: 2 }), "2026-M12": filled({ tt_so_buoi: 2 }) },
      // Complete in the third quarter, two months of the fourth: not compared.
      [B.code]: { ...full(5), "2026-M10": filled({}), "2026-M11": filled({}) },
    };
    const s = summarize(data(reports, QUARTER))!;
    expect(s.previous!.base.map((u) => u.code)).toEqual([A.code]);
    expect(s.previous!.current.values.tt_so_buoi).toBe(6);
    expect(s.previous!.totals.values.tt_so_buoi).toBe(3);
    expect(text(draft(data(reports, QUARTER), "2026-12-20T09:00:00+07:00"))).toContain(
      "bằng quý III/2026 (tính trên 1 khu dân cư nộp đủ báo cáo các tháng của cả hai kỳ)",
    );
  });

  it("quotes a difficulty repeated month after month once", () => {
    const reports = { [A.code]: { "2026-M10": filled({ kk_kho_khan: "Thiếu kinh phí" }), "2026-M11": filled({ kk_kho_khan: "Thiếu kinh phí" }) } };
    const t = text(draft(data(reports, QUARTER)));
    expect(t).toContain("- Ấp Bến Đò: Thiếu kinh phí.");
    expect(t.match(/Thiếu kinh phí/g)).toHaveLength(1);
  });
});

describe("the commune draft's form", () => {
  it("punctuates the areas' difficulties as a list: ';' after each, '.' after the last", () => {
    const reports = {
      [A.code]: { "2026-M12": filled({ kk_kho_khan: "kinh phí hoạt động còn hạn chế," }) },
      [B.code]: { "2026-M12": filled({ kk_kho_khan: "thiếu người trẻ tham gia\nloa truyền thanh hỏng" }) },
    };
    expect(text(draft(data(reports, DEC)))).toContain(
      "- Ấp Bến Đò: Kinh phí hoạt động còn hạn chế;\n- Ấp Cây Dầu: Thiếu người trẻ tham gia. Loa truyền thanh hỏng.",
    );
  });

  it("dates the data to the day the draft is made when that is before the cut-off", () => {
    expect(text(draft(data(DEC_VS_NOV, DEC)))).toContain("(số liệu từ ngày 15/11/2026 đến ngày 10/12/2026)");
    expect(text(draft(data(DEC_VS_NOV, DEC), "2026-12-20T09:00:00+07:00"))).toContain("(số liệu từ ngày 15/11/2026 đến ngày 14/12/2026)");
  });

  it("leaves a line for the signer's name", () => {
    expect(draft(data(DEC_VS_NOV, DEC)).signature).toEqual({ authority: ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"], signer: "……………………………" });
  });

  it("uses '-' for no figure and '0' for zero, and capitals in cells and headers", () => {
    const table = draft(data(DEC_VS_NOV, DEC)).appendix!.table;
    const row = (label: string) => table.rows.find((r) => r[1] === label)!;
    expect(row("Có tổ chức tiếp xúc cử tri").slice(2)).toEqual(["", "Không", "Có", "-", "1/2"]);
    // Skipped by Ấp Cây Dầu (/bo): no figure, not "(không có)".
    expect(row("Tỷ lệ hộ đạt danh hiệu “Gia đình văn hóa”").slice(3)).toEqual(["93,5", "-", "-", "93,5"]);
    expect(row("Số cuộc giám sát").slice(3)).toEqual(["1", "1", "-", "2"]);
    expect(table.rows.flat().some((c) => c.includes("(không có)"))).toBe(false);
    expect(table.columns.slice(3)).toEqual(["Ấp Bến Đò", "Ấp Cây Dầu", "Ấp Sóc Ruộng\n(chưa\u00a0nộp)", "Tổng cộng"]);
  });
});
