import { beforeAll, describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { buildAreaReport, type AreaReportInput } from "../../src/core/report/build-area-report.js";
import type { Block, ReportDocument } from "../../src/core/report/document.js";
import { renderDocx } from "../../src/core/report/render-docx.js";
import { docxText } from "../support/docx-text.js";
import type { AnswerMap, Unit } from "../../src/core/types.js";
import { COMPLETE_FORM } from "../support/form-values.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);
const form = prompts.forms.find((f) => f.id === "mttq_dinh_ky")!;

const area: Unit = { code: "25747-01", name: "Ấp Bến Đò", level: "area", parentCode: "25747" };
const commune: Unit = { code: "25747", name: "Xã Tân Khai", level: "commune", parentCode: "75" };

const VALUES: AnswerMap = COMPLETE_FORM;

const PREVIOUS: AnswerMap = {
  tt_so_buoi: 10,
  tt_luot_nguoi: 3000,
  hg_tiep_nhan: 20,
  hg_thanh: 10,
  hg_khong_thanh: 10,
  txct_co: true,
  txct_so_diem: 2,
  txct_dai_bieu: 5,
  txct_cu_tri: 454,
  txct_phat_bieu: 34,
  txct_kien_nghi: 72,
  qvnn_van_dong: 15_000_000,
  gs_so_cuoc: 3,
};

function input(over: Partial<AreaReportInput> = {}): AreaReportInput {
  return {
    form,
    texts: prompts.report,
    messages: prompts.messages,
    area,
    commune,
    period: { kind: "month", year: 2026, index: 11 },
    values: VALUES,
    now: new Date("2026-11-10T09:00:00+07:00"),
    ...over,
  };
}

function paragraphs(doc: ReportDocument): string[] {
  return doc.body.flatMap((b: Block) =>
    b.kind === "paragraph" ? [b.runs.map((r) => (typeof r === "string" ? r : r.text)).join("")] : [],
  );
}

function bodyText(doc: ReportDocument): string {
  return doc.body
    .map((b) =>
      b.kind === "heading"
        ? b.text
        : b.kind === "paragraph"
          ? b.runs.map((r) => (typeof r === "string" ? r : r.text)).join("")
          : b.kind === "bullets"
            ? b.items.join("\n")
            : "",
    )
    .join("\n");
}

/** The paragraph right after a heading. */
function after(doc: ReportDocument, heading: string): string | undefined {
  const i = doc.body.findIndex((b) => b.kind === "heading" && b.text === heading);
  const next = doc.body[i + 1];
  return i >= 0 && next?.kind === "paragraph" ? next.runs.map((r) => (typeof r === "string" ? r : r.text)).join("") : undefined;
}

/** Every non-text figure of the form, fields then derived values, section by section. */
const FIGURE_LABELS = form.sections.flatMap((s) => [
  ...s.fields.filter((f) => f.kind !== "text").map((f) => f.label),
  ...s.derived.map((d) => d.label),
]);

describe("buildAreaReport without a previous period", () => {
  const doc = buildAreaReport(input());
  const text = bodyText(doc);

  it("writes the header in upper case with the place and the document date", () => {
    expect(doc.header.parentBody).toBe("ỦY BAN MTTQ VIỆT NAM XÃ TÂN KHAI");
    expect(doc.header.issuingBody).toBe("BAN CÔNG TÁC MẶT TRẬN ẤP BẾN ĐÒ");
    expect(doc.header.placeAndDate).toBe("Tân Khai, ngày 10 tháng 11 năm 2026");
    expect(doc.title).toBe("BÁO CÁO");
    expect(doc.subject).toBe("Kết quả công tác Mặt trận tháng 11/2026");
  });

  it("names the area and commune in lower case inside sentences, with the data range", () => {
    expect(doc.intro[0]!.join("")).toContain("Ban công tác Mặt trận ấp Bến Đò báo cáo");
    expect(doc.intro[0]!.join("")).toContain("Ủy ban MTTQ Việt Nam xã Tân Khai");
    // Made on 10/11, before the cut-off of 14/11: the figures are those up to the day it was made.
    expect(doc.intro[0]!.join("")).toContain("từ ngày 15/10/2026 đến ngày 10/11/2026");
    expect(doc.closing).toContain("tháng 11/2026 của Ban công tác Mặt trận ấp Bến Đò./.");
  });

  it("writes sessions and attendees with Vietnamese figures", () => {
    expect(text).toContain("12 buổi tuyên truyền, phổ biến, giáo dục pháp luật, thu hút 3.850 lượt người tham dự.");
    expect(text).toContain("Hình thức tuyên truyền chủ yếu: Họp dân.");
  });

  it("writes mediation with the success rate 66,7%", () => {
    expect(text).toContain("Tổ hòa giải đã tiếp nhận 15 vụ việc; hòa giải thành 10/15 vụ, đạt 66,7%; hòa giải không thành 5 vụ.");
    // Nothing pending (15 − 10 − 5 = 0): no sentence about cases still being mediated.
    expect(text).not.toContain("đang tiếp tục hòa giải");
  });

  it("says no voter meeting was held when there was none", () => {
    expect(after(doc, "3. Tiếp xúc cử tri")).toBe("Trong kỳ không tổ chức tiếp xúc cử tri.");
  });

  it("writes money with thousands dots", () => {
    expect(text).toContain("Vận động Quỹ “Vì người nghèo” được 15.000.000 đồng.");
    expect(text).toContain("Chi hỗ trợ, chăm lo 10.000.000 đồng, giúp đỡ 12 hộ nghèo");
    expect(text).toContain("Tỷ lệ hộ gia đình đạt danh hiệu “Gia đình văn hóa” là 92,5%.");
  });

  it("has no comparison without a previous period", () => {
    expect(text).not.toContain("so với");
    expect(text).not.toMatch(/\{[a-z_]+(\|cmp)?\}/);
  });

  it("puts free text in the difficulties part and “(không có)” in the proposals part", () => {
    expect(after(doc, "II. KHÓ KHĂN, HẠN CHẾ")).toBe("Kinh phí hoạt động còn hạn chế.");
    expect(after(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ")).toBe("(không có)");
  });

  it("numbers the sections, leaving out the free-text one", () => {
    const headings = doc.body.filter((b) => b.kind === "heading" && b.level === 2).map((b) => (b as { text: string }).text);
    expect(headings).toEqual([
      "1. Tuyên truyền, phổ biến, giáo dục pháp luật",
      "2. Hòa giải ở cơ sở",
      "3. Tiếp xúc cử tri",
      "4. Quỹ “Vì người nghèo” và an sinh xã hội",
      "5. Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”",
      "6. Giám sát, tiếp công dân và đơn thư",
    ]);
  });

  it("has an appendix row for every non-text figure and four columns", () => {
    const table = doc.appendix!.table;
    expect(table.columns).toEqual(["STT", "Chỉ tiêu", "Đơn vị tính", "Tháng 11/2026"]);
    expect(table.rows.map((r) => r[1])).toEqual(FIGURE_LABELS);
    expect(table.rows.map((r) => r[0])).toEqual(FIGURE_LABELS.map((_, i) => String(i + 1)));
    expect(table.rows.every((r) => r.length === 4)).toBe(true);
    const row = (label: string) => table.rows.find((r) => r[1] === label)!;
    expect(row("Số lượt người tham dự")).toEqual(["2", "Số lượt người tham dự", "lượt người", "3.850"]);
    expect(row("Tỷ lệ hòa giải thành").slice(2)).toEqual(["%", "66,7"]);
    expect(row("Số tiền vận động Quỹ “Vì người nghèo”").slice(2)).toEqual(["đồng", "15.000.000"]);
    expect(row("Có tổ chức tiếp xúc cử tri").slice(2)).toEqual(["", "Không"]);
    // Skipped by txct_co = false: not applicable.
    expect(row("Số cử tri tham dự")[3]).toBe("-");
    expect(doc.appendix!.subtitle).toContain("tháng 11/2026 của Ban công tác Mặt trận ấp Bến Đò");
  });

  it("writes the pending cases sentence when some are still open", () => {
    const d = buildAreaReport(input({ values: { ...VALUES, hg_khong_thanh: 3 } }));
    expect(bodyText(d)).toContain("Hiện còn 2 vụ việc đang tiếp tục hòa giải.");
  });

  it("says the empty sentence for a section with nothing to report", () => {
    const d = buildAreaReport(input({ values: { ...VALUES, tt_so_buoi: 0 } }));
    expect(after(d, "1. Tuyên truyền, phổ biến, giáo dục pháp luật")).toBe(
      "Trong kỳ không tổ chức buổi tuyên truyền, phổ biến pháp luật nào.",
    );
  });

  it("leaves out answers that no longer apply", () => {
    const d = buildAreaReport(input({ values: { ...VALUES, txct_so_diem: 9, txct_cu_tri: 999 } }));
    expect(bodyText(d)).not.toContain("999");
    expect(after(d, "3. Tiếp xúc cử tri")).toBe("Trong kỳ không tổ chức tiếp xúc cử tri.");
  });

  it("passes the signer through", () => {
    expect(buildAreaReport(input({ signer: "Nguyễn Văn Tư" })).signature).toEqual({
      authority: ["TM. BAN CÔNG TÁC MẶT TRẬN", "TRƯỞNG BAN"],
      signer: "Nguyễn Văn Tư",
    });
  });
});

describe("buildAreaReport with a previous period", () => {
  const doc = buildAreaReport(input({ previous: PREVIOUS }));
  const text = bodyText(doc);

  it("compares with last month: increase, decrease and same", () => {
    expect(text).toContain("thu hút 3.850 lượt người tham dự, tăng 850 lượt người so với tháng 10/2026.");
    expect(text).toContain("Tổ hòa giải đã tiếp nhận 15 vụ việc, giảm 5 vụ so với tháng 10/2026; hòa giải thành 10/15 vụ, đạt 66,7%");
    expect(text).toContain("Vận động Quỹ “Vì người nghèo” được 15.000.000 đồng, bằng tháng 10/2026.");
    expect(text).toContain("thực hiện 1 cuộc giám sát, giảm 2 cuộc so với tháng 10/2026.");
  });

  it("compares money with thousands dots", () => {
    const d = buildAreaReport(input({ previous: { ...PREVIOUS, qvnn_van_dong: 12_500_000 } }));
    expect(bodyText(d)).toContain("được 15.000.000 đồng, tăng 2.500.000 đồng so với tháng 10/2026.");
  });

  it("has no comparison for a figure last period did not have", () => {
    // qvnn_chi is missing from the previous period.
    expect(text).toContain("Chi hỗ trợ, chăm lo 10.000.000 đồng, giúp đỡ 12 hộ nghèo, hộ có hoàn cảnh khó khăn.");
  });

  it("adds a previous-period column to the appendix", () => {
    const table = doc.appendix!.table;
    expect(table.columns).toEqual(["STT", "Chỉ tiêu", "Đơn vị tính", "Tháng 11/2026", "Tháng 10/2026"]);
    expect(table.rows.map((r) => r[1])).toEqual(FIGURE_LABELS);
    expect(table.rows.every((r) => r.length === 5)).toBe(true);
    const row = (label: string) => table.rows.find((r) => r[1] === label)!;
    expect(row("Số lượt người tham dự").slice(3)).toEqual(["3.850", "3.000"]);
    // Derived values are recomputed for the previous period too.
    expect(row("Tỷ lệ hòa giải thành").slice(3)).toEqual(["66,7", "50"]);
    // Not held this month, held last month.
    expect(row("Số cử tri tham dự").slice(3)).toEqual(["-", "454"]);
    // Answered this month, absent last month.
    expect(row("Số tiền chi hỗ trợ, chăm lo").slice(3)).toEqual(["10.000.000", "-"]);
    expect(table.numericColumns).toEqual([3, 4]);
  });
});

describe("the rendered draft", () => {
  let text: string;
  beforeAll(async () => {
    const buf = await renderDocx(buildAreaReport(input({ previous: PREVIOUS, signer: "Nguyễn Văn Tư" })));
    expect(buf.subarray(0, 2).toString("latin1")).toBe("PK");
    text = await docxText(buf);
  });

  it("keeps the header, place and date", () => {
    expect(text).toContain("XÃ TÂN KHAI");
    expect(text).toContain("ẤP BẾN ĐÒ");
    expect(text).toContain("Tân Khai, ngày 10 tháng 11 năm 2026");
    expect(text).toContain("Nguyễn Văn Tư");
  });

  it("keeps the figures and sentences", () => {
    expect(text).toContain("12 buổi tuyên truyền");
    expect(text).toContain("3.850 lượt người tham dự, tăng 850 lượt người so với tháng 10/2026");
    expect(text).toContain("hòa giải thành 10/15 vụ, đạt 66,7%");
    expect(text).toContain("15.000.000 đồng");
    expect(text).toContain("Trong kỳ không tổ chức tiếp xúc cử tri.");
    expect(text).toMatch(/III\. ĐỀ XUẤT, KIẾN NGHỊ\n\(không có\)/);
  });

  it("keeps the appendix rows with both periods", () => {
    expect(text).toContain("STT | Chỉ tiêu | Đơn vị tính | Tháng 11/2026 | Tháng 10/2026");
    expect(text).toContain("2 | Số lượt người tham dự | lượt người | 3.850 | 3.000");
    expect(text).toContain("7 | Tỷ lệ hòa giải thành | % | 66,7 | 50");
    expect(text).toContain(`${FIGURE_LABELS.length} | Tỷ lệ đơn đã xử lý | % | 66,7 | -`);
  });
});

describe("the area draft's form", () => {
  it("states the full data range once the cut-off has passed", () => {
    const d = buildAreaReport(input({ now: new Date("2026-11-20T09:00:00+07:00") }));
    expect(d.intro[0]!.join("")).toContain("từ ngày 15/10/2026 đến ngày 14/11/2026");
    expect(d.header.placeAndDate).toBe("Tân Khai, ngày 20 tháng 11 năm 2026");
  });

  it("punctuates typed free text as sentences", () => {
    const d = buildAreaReport(input({ values: { ...VALUES, kk_kho_khan: "- kinh phí còn hạn chế,\n- thiếu loa", kk_de_xuat: "đề nghị hỗ trợ tài liệu" } }));
    expect(after(d, "II. KHÓ KHĂN, HẠN CHẾ")).toBe("Kinh phí còn hạn chế. Thiếu loa.");
    expect(after(d, "III. ĐỀ XUẤT, KIẾN NGHỊ")).toBe("Đề nghị hỗ trợ tài liệu.");
  });

  it("leaves a line for the signer's name when it is not known", () => {
    expect(buildAreaReport(input()).signature.signer).toBe("……………………………");
    expect(buildAreaReport(input({ signer: "  " })).signature.signer).toBe("……………………………");
  });

  it("writes '-' for a skipped figure, never “(không có)”, and explains the signs under the table", () => {
    const table = buildAreaReport(input({ values: { ...VALUES, gdvh_ty_le: null } })).appendix!.table;
    expect(table.rows.find((r) => r[1] === "Tỷ lệ hộ đạt danh hiệu “Gia đình văn hóa”")![3]).toBe("-");
    expect(table.rows.find((r) => r[1] === "Số cuộc giám sát")![3]).toBe("1");
    expect(table.rows.flat()).not.toContain("(không có)");
    expect(table.notes).toEqual(["Ghi chú: “-” là không có số liệu; “0” là không phát sinh."]);
  });
});
