// Figures a report takes from another report kind's periods: the six-month report on legal education and
// mediation sums the monthly reports the area submitted, tells the leader what is already known, asks only
// what is new, and uses the taken figures in /xem, the draft and the summary; a wrong one is corrected in the
// monthly report. Slow-changing figures are asked with the last one offered. Loading checks `from:`.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadPrompts, PromptError } from "../../src/config/load-prompts.js";
import { takeFigures } from "../../src/core/forms/taken-figures.js";
import { docxText } from "../support/docx-text.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { GROUP, Harness, type Sent } from "../support/harness.js";

const tu = { id: "101", name: "Tư" };
const minh = { id: "103", name: "Minh" };

/** Monthly figures of Ấp Bến Đò, January to April 2026 (submitted), May (still being filled). */
const MONTHS: Record<string, Record<string, number>> = {
  "2026-M1": { tt_so_buoi: 10, tt_luot_nguoi: 300, hg_tiep_nhan: 3, hg_thanh: 2, hg_khong_thanh: 1, gs_tiep_dan: 5, gs_don_nhan: 2, gs_don_xu_ly: 1 },
  "2026-M2": { tt_so_buoi: 20, tt_luot_nguoi: 700, hg_tiep_nhan: 2, hg_thanh: 2, hg_khong_thanh: 0, gs_tiep_dan: 3, gs_don_nhan: 1, gs_don_xu_ly: 1 },
  "2026-M3": { tt_so_buoi: 16, tt_luot_nguoi: 610, hg_tiep_nhan: 4, hg_thanh: 3, hg_khong_thanh: 1, gs_tiep_dan: 4, gs_don_nhan: 0 },
  "2026-M4": { tt_so_buoi: 18, tt_luot_nguoi: 700, hg_tiep_nhan: 0, gs_tiep_dan: 0, gs_don_nhan: 1, gs_don_xu_ly: 0 },
  "2026-M5": { tt_so_buoi: 7, tt_luot_nguoi: 100, hg_tiep_nhan: 1, hg_thanh: 1, hg_khong_thanh: 0 },
};

let h: Harness;
afterEach(() => h?.close());

/** Stores an area's monthly report directly, submitted or still in progress. */
function seedMonth(unit: string, period: string, values: Record<string, number>, completed: boolean): void {
  const at = "2026-05-01T02:00:00.000Z";
  const insert = h.core.db.prepare(
    "INSERT OR REPLACE INTO answers (unit_code, form_id, period_key, field_id, value_json, updated_by, updated_at) VALUES (?, 'mttq_dinh_ky', ?, ?, ?, 'telegram:101', ?)",
  );
  for (const [field, v] of Object.entries(values)) insert.run(unit, period, field, JSON.stringify(v), at);
  h.core.db
    .prepare("INSERT OR REPLACE INTO submissions (unit_code, form_id, period_key, status, started_at, completed_at, completed_by, version) VALUES (?, 'mttq_dinh_ky', ?, ?, ?, ?, ?, ?)")
    .run(unit, period, completed ? "completed" : "in_progress", at, completed ? at : null, completed ? "telegram:101" : null, completed ? 1 : 0);
}

function setup(now = "2026-06-10T09:00:00+07:00"): Harness {
  h = new Harness(now, ":memory:", undefined, DEFAULT_PROMPTS);
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  h.grant(tu, "reporter", "25747-01");
  for (const [period, values] of Object.entries(MONTHS)) seedMonth("25747-01", period, values, period !== "2026-M5");
  return h;
}

const last = (sent: Sent[]) => sent.filter((s) => s.text).at(-1)!;

/** The six-month report answered after its opening: only what the monthly reports do not have. */
const NEW_ANSWERS = ["Luật Đất đai, Luật Hôn nhân và gia đình", "8 hòa giải viên, 1 tổ", "tranh chấp ranh giới đất", "1 tủ, 120 đầu sách", "không", "không"];

describe("a six-month report taking its figures from the monthly reports", () => {
  it("tells what the submitted months add up to, asks only what is new, and drafts with the taken figures", async () => {
    setup();
    const opening = last(await h.say(tu, "/baocao phapluat"));
    expect(opening.text).toContain("nhập báo cáo 6 tháng đầu năm 2026 (Báo cáo 6 tháng về pháp luật, hòa giải) của Ấp Bến Đò (hạn 20/06)");
    expect(opening.text).toContain("Theo các báo cáo tháng đã nộp (tháng 1, 2, 3, 4/2026), trong 6 tháng đầu năm 2026 Ấp Bến Đò đã có:");
    expect(opening.text).toContain("- Tuyên truyền: tổ chức 64 buổi tuyên truyền, phổ biến pháp luật với 2.310 lượt người tham dự.");
    expect(opening.text).toContain("- Hòa giải: tổ hòa giải tiếp nhận 9 vụ việc, hòa giải thành 7 vụ, không thành 2 vụ.");
    expect(opening.text).toContain("- Đơn thư: tiếp 12 lượt công dân, tiếp nhận 4 đơn thư, đã xử lý 2 đơn.");
    // May is still being filled: it is not counted, and the leader is told.
    expect(opening.text).toContain("Còn thiếu báo cáo tháng 5, 6/2026, số liệu của những kỳ đó chưa được tính.");
    expect(opening.text).toContain("anh/chị sửa trong báo cáo tháng của kỳ đó");
    // The first question is the first new one: never the sessions again.
    expect(opening.text).toContain("tuyên truyền chủ yếu những luật, quy định nào?");
    expect(opening.text).not.toContain("mấy buổi tuyên truyền");

    const mediation = last(await h.say(tu, NEW_ANSWERS[0]!));
    expect(mediation.text).toContain("Hiện nay khu dân cư có bao nhiêu hòa giải viên, trong mấy tổ hòa giải?");
    // Nothing of the area's earlier six-month reports: no last figure to offer.
    expect(mediation.text).not.toContain("Lần trước");
    let done: Sent | undefined;
    for (const a of NEW_ANSWERS.slice(1)) done = last(await h.say(tu, a));
    expect(done!.text).toContain("Ấp Bến Đò đã hoàn thành báo cáo 6 tháng đầu năm 2026 (Báo cáo 6 tháng về pháp luật, hòa giải) ✅");
    expect(done!.text).toContain("Tuyên truyền 64 buổi/2.310 lượt");
    expect(done!.text).toContain("Hòa giải 1 tổ/8 HGV, thành 7/9 vụ");
    // The six-month report asks four sections: the petitions are all taken, so that section is not counted.
    expect(mediation.text).toContain("Phần 2/4 — Công tác hòa giải ở cơ sở.");
    expect(done!.file!.filename).toBe("Bao-cao-phap-luat-hoa-giai-6-thang-dau-nam-2026-Ap-Ben-Do.docx");
    const text = await docxText(done!.file!.bytes);
    expect(text).toContain("Kết quả công tác phổ biến, giáo dục pháp luật, hòa giải ở cơ sở và tiếp công dân 6 tháng đầu năm 2026");
    // The draft says where the taken figures come from, and which months are not in yet.
    expect(text).toContain("Số liệu về tuyên truyền, hòa giải, đơn thư được tổng hợp từ các báo cáo tháng đã nộp (tháng 1, 2, 3, 4/2026); chưa có báo cáo tháng 5, 6/2026.");
    expect(text).toContain("đã phối hợp tổ chức 64 buổi tuyên truyền, phổ biến, giáo dục pháp luật, thu hút 2.310 lượt người tham dự.");
    expect(text).toContain("Khu dân cư hiện có 1 tổ hòa giải với 8 hòa giải viên.");
    expect(text).toContain("Tổ hòa giải đã tiếp nhận 9 vụ việc; hòa giải thành 7/9 vụ, đạt 77,8%; hòa giải không thành 2 vụ.");
    expect(text).toContain("Các vụ việc chủ yếu là: tranh chấp ranh giới đất.");
    expect(text).toContain("Khu dân cư có 1 tủ sách pháp luật với 120 đầu sách");
    expect(text).toContain("Tiếp nhận 4 đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh; đã xử lý 2/4 đơn, đạt 50%.");
    // Only what was asked is stored; the taken figures are read from the monthly reports every time.
    expect(Object.keys(h.answers("25747-01", "2026-H1")).sort()).toEqual(["hg_noi_dung", "hg_so_hgv", "hg_so_to", "pl_de_xuat", "pl_kho_khan", "pl_noi_dung", "tsp_dau_sach", "tsp_so_tu"]);
  });

  it("shows taken figures in /xem with their source, keeps them out of /sua, and follows a corrected month", async () => {
    setup();
    await h.say(tu, "/baocao phapluat");
    await h.say(tu, NEW_ANSWERS[0]!);
    const view = last(await h.say(tu, "/xem"));
    expect(view.text).toContain("Số buổi tuyên truyền, phổ biến pháp luật: 64 buổi (theo báo cáo tháng)");
    expect(view.text).toContain("Nội dung pháp luật tuyên truyền chủ yếu: “Luật Đất đai, Luật Hôn nhân và gia đình”");
    const edit = last(await h.say(tu, "/sua"));
    expect(edit.text).toContain("1. Nội dung pháp luật tuyên truyền chủ yếu:");
    expect(edit.text).not.toMatch(/\d\. Số buổi tuyên truyền/);
    expect(edit.text).toContain("Các số liệu lấy từ báo cáo tháng (Số buổi tuyên truyền, phổ biến pháp luật, Số lượt người tham dự,");
    await h.say(tu, "/huy");
    // May is submitted after all: the six-month figures follow.
    seedMonth("25747-01", "2026-M5", MONTHS["2026-M5"]!, true);
    const again = last(await h.say(tu, "/xem phapluat"));
    expect(again.text).toContain("Số buổi tuyên truyền, phổ biến pháp luật: 71 buổi (theo báo cáo tháng)");
    expect(again.text).toContain("Số vụ việc tiếp nhận: 10 vụ (theo báo cáo tháng)");
  });

  it("an area with no monthly report in the half is told its taken figures stay empty", async () => {
    setup();
    h.grant({ id: "105", name: "Năm" }, "reporter", "25747-02");
    const opening = last(await h.say({ id: "105", name: "Năm" }, "/baocao phapluat"));
    expect(opening.text).toContain("Ấp Cây Dầu chưa nộp báo cáo tháng nào trong 6 tháng đầu năm 2026, nên các số liệu lấy từ đó (Số buổi tuyên truyền, phổ biến pháp luật,");
    expect(opening.text).toContain("để trống (-) trong báo cáo.");
  });

  it("staff's six-month summary adds up the areas' taken and asked figures", async () => {
    setup();
    await h.say(tu, "/baocao phapluat");
    for (const a of NEW_ANSWERS) await h.say(tu, a);
    const summary = last(await h.say(minh, "/tonghop phapluat"));
    expect(summary.text).toContain("Tổng hợp 6 tháng đầu năm 2026 (Báo cáo 6 tháng về pháp luật, hòa giải) — Xã Tân Khai");
    expect(summary.text).toContain("Đã nộp 1/8 khu dân cư");
    const text = await docxText(summary.file!.bytes);
    expect(text).toContain("Các Ban công tác Mặt trận khu dân cư đã phối hợp tổ chức 64 buổi tuyên truyền, phổ biến, giáo dục pháp luật, thu hút 2.310 lượt người tham dự");
    expect(text).toContain("Trên địa bàn hiện có 1 tổ hòa giải với 8 hòa giải viên.");
    expect(text).toContain("Số liệu về tuyên truyền, hòa giải, đơn thư của mỗi khu dân cư được tổng hợp từ các báo cáo tháng khu dân cư đó đã nộp trong kỳ.");
    expect(text).toContain("Các tổ hòa giải ở cơ sở đã tiếp nhận 9 vụ việc");
  });

  it("the annual report offers the mediators and bookcases of the six-month report", async () => {
    setup();
    await h.say(tu, "/baocao phapluat");
    for (const a of NEW_ANSWERS) await h.say(tu, a);
    h.clock.set("2026-12-10T09:00:00+07:00");
    await h.say(tu, "/baocao phapluatnam");
    const mediation = last(await h.say(tu, "Luật Đất đai"));
    expect(mediation.text).toContain("Hiện nay khu dân cư có bao nhiêu hòa giải viên, trong mấy tổ hòa giải?");
    expect(mediation.text).toContain("Lần trước, 6 tháng đầu năm 2026: 8 hòa giải viên, 1 tổ. Nếu không thay đổi, anh/chị gõ lại đúng các số này.");
  });

  it("the six-month report is not offered for the second half: the annual report covers the year", async () => {
    setup("2026-12-10T09:00:00+07:00");
    const reply = last(await h.say(tu, "/baocao phapluat"));
    expect(reply.text).toContain("chưa đến lúc nhập");
  });
});

describe("takeFigures", () => {
  const prompts = loadPrompts(DEFAULT_PROMPTS);
  const half = prompts.forms.find((f) => f.id === "phap_luat_6_thang")!;
  const read = (submitted: string[]) => ({
    answers: (_form: string, key: string) => MONTHS[key],
    submitted: (_form: string, key: string) => submitted.includes(key),
  });

  it("sums only the submitted months and says which are missing", () => {
    const t = takeFigures(half, prompts.forms, { kind: "half", year: 2026, index: 1 }, read(["2026-M1", "2026-M3"]));
    expect(t.values).toMatchObject({ tt_so_buoi: 26, tt_luot_nguoi: 910, hg_tiep_nhan: 7, hg_thanh: 5, gs_don_nhan: 2, gs_don_xu_ly: 1 });
    expect(t.sources[0]!.done.map((p) => p.index)).toEqual([1, 3]);
    expect(t.sources[0]!.missing.map((p) => p.index)).toEqual([2, 4, 5, 6]);
  });

  it("has no figure at all when no month is submitted (a dash, not a zero)", () => {
    const t = takeFigures(half, prompts.forms, { kind: "half", year: 2026, index: 1 }, read([]));
    expect(t.values).toEqual({});
  });
});

describe("loading figures taken from another form", () => {
  /** The shipped prompts with the six-month form changed. */
  function withChange(edit: (doc: any) => void): string {
    const dir = mkdtempSync(join(tmpdir(), "prompts-taken-"));
    cpSync(DEFAULT_PROMPTS, dir, { recursive: true });
    const file = join(dir, "forms", "phap-luat-6-thang.yaml");
    const doc = parse(readFileSync(file, "utf8"));
    edit(doc);
    writeFileSync(file, stringify(doc));
    return dir;
  }
  function problems(dir: string): string[] {
    try {
      loadPrompts(dir);
    } catch (e) {
      expect(e).toBeInstanceOf(PromptError);
      // The six-month form's own problems (the annual form, which offers its figures, then misses it too).
      return (e as PromptError).problems.filter((p) => p.includes("phap-luat-6-thang.yaml"));
    }
    throw new Error("loaded");
  }
  const FILE = "phap-luat-6-thang.yaml: sections[0].fields[0].from";

  it("names an unknown form once, and an unknown field; the annual form then misses the six-month one", () => {
    const dir = withChange((d) => (d.sections[0].fields[0].from.field = "tt_so_cuoc"));
    try {
      loadPrompts(dir);
    } catch (e) {
      expect((e as PromptError).problems).toContainEqual(expect.stringContaining("phap-luat-nam.yaml: sections[1].fields[0].offer_last.form: không có biểu mẫu “phap_luat_6_thang” (hoặc tệp của nó có lỗi)"));
    }
    expect(problems(withChange((d) => d.sections.forEach((s: any) => s.fields.forEach((f: any) => f.from && (f.from.form = "bao_cao_khac"))))))
      .toEqual([expect.stringContaining(`${FILE}.form: không có biểu mẫu “bao_cao_khac”`)]);
    expect(problems(withChange((d) => (d.sections[0].fields[0].from.field = "tt_so_cuoc")))).toEqual([
      expect.stringContaining(`${FILE}.field: biểu mẫu “mttq_dinh_ky” không có chỉ tiêu “tt_so_cuoc”`),
    ]);
  });

  it("refuses another kind of figure, another cut-off, and periods that do not fit inside", () => {
    expect(problems(withChange((d) => (d.sections[0].fields[0].from.field = "qvnn_van_dong")))).toEqual([
      expect.stringContaining(`${FILE}.field: “qvnn_van_dong” của “mttq_dinh_ky” là dạng money, “tt_so_buoi” là dạng count`),
    ]);
    expect(problems(withChange((d) => (d.period.cutoff = "calendar")))).toContainEqual(
      expect.stringContaining(`${FILE}.form: “mttq_dinh_ky” chốt số liệu theo nd09, biểu mẫu này theo calendar`),
    );
    expect(problems(withChange((d) => ((d.period.kind = "month"), delete d.collect)))).toContainEqual(
      expect.stringContaining(`${FILE}.form: kỳ month của “mttq_dinh_ky” không nằm gọn trong kỳ month của biểu mẫu này`),
    );
  });

  it("collects only periods a year has, of a kind that has several", () => {
    expect(problems(withChange((d) => (d.collect.periods = [3])))).toEqual([expect.stringContaining("phap-luat-6-thang.yaml: collect.periods[0]: một năm chỉ có 2 kỳ half")]);
  });

  it("asks a question of every asked field, and none of a taken one inside `together`", () => {
    expect(problems(withChange((d) => delete d.sections[1].fields[0].question))).toEqual([
      expect.stringContaining("phap-luat-6-thang.yaml: sections[1].fields[0].question: cần câu hỏi (question) cho chỉ tiêu được hỏi"),
    ]);
    expect(problems(withChange((d) => d.sections[1].together.push("hg_tiep_nhan")))).toContainEqual(
      expect.stringContaining("sections[1].fields[2].from: “hg_tiep_nhan” lấy từ báo cáo khác, không được hỏi nên không đặt trong together"),
    );
  });
});
