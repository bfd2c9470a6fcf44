import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { figureVars, hardViolation, softWarnings } from "../../src/core/forms/rules.js";
import type { FormDef } from "../../src/core/forms/schema.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);
const form = prompts.forms.find((f) => f.id === "mttq_dinh_ky")!;
const m = prompts.messages;

describe("hardViolation", () => {
  it("refuses more successful cases than received, naming both numbers", () => {
    expect(hardViolation(form, { hg_tiep_nhan: 15, hg_thanh: 16 }, ["hg_thanh"], m)).toBe(
      "Số vụ hòa giải thành (16) không thể lớn hơn số vụ tiếp nhận (15).",
    );
  });

  it("writes the numbers the Vietnamese way (thousands dot)", () => {
    const msg = hardViolation(form, { hg_tiep_nhan: 1500, hg_thanh: 1600 }, ["hg_thanh"], m);
    expect(msg).toContain("(1.600)");
    expect(msg).toContain("(1.500)");
  });

  it("checks a sum against the total and names all three figures", () => {
    const msg = hardViolation(form, { hg_tiep_nhan: 15, hg_thanh: 10, hg_khong_thanh: 6 }, ["hg_khong_thanh"], m);
    expect(msg).toBe(
      "Số vụ hòa giải thành (10) cộng không thành (6) không thể lớn hơn số vụ tiếp nhận (15).",
    );
  });

  it("accepts a sum equal to the total", () => {
    expect(hardViolation(form, { hg_tiep_nhan: 15, hg_thanh: 10, hg_khong_thanh: 5 }, ["hg_khong_thanh"], m)).toBeUndefined();
  });

  it("checks the voter-meeting and petition rules too", () => {
    expect(hardViolation(form, { txct_cu_tri: 1200, txct_phat_bieu: 1300 }, ["txct_phat_bieu"], m)).toContain(
      "(1.300) lớn hơn số cử tri tham dự (1.200)",
    );
    expect(hardViolation(form, { gs_don_nhan: 3, gs_don_xu_ly: 4 }, ["gs_don_xu_ly"], m)).toBe(
      "Số đơn đã xử lý (4) không thể lớn hơn số đơn nhận được (3).",
    );
  });

  it("only checks rules touching a changed figure", () => {
    const values = { hg_tiep_nhan: 15, hg_thanh: 20 };
    expect(hardViolation(form, values, ["tt_so_buoi"], m)).toBeUndefined();
    expect(hardViolation(form, values, ["hg_tiep_nhan"], m)).toBeDefined();
  });

  it("waits until every figure of a rule is known", () => {
    expect(hardViolation(form, { hg_thanh: 20 }, ["hg_thanh"], m)).toBeUndefined();
  });
});

describe("softWarnings: attendees per session", () => {
  it("questions more than 500 attendees per session, with the average and both figures", () => {
    const w = softWarnings(form, { tt_so_buoi: 2, tt_luot_nguoi: 1200 }, ["tt_luot_nguoi"], undefined, m);
    expect(w).toEqual(["Trung bình mỗi buổi có 600 người dự (1.200 lượt / 2 buổi), con số này khá cao."]);
  });

  it("accepts exactly 500 per session", () => {
    expect(softWarnings(form, { tt_so_buoi: 2, tt_luot_nguoi: 1000 }, ["tt_luot_nguoi"], undefined, m)).toEqual([]);
  });

  it("is silent when the number of sessions is zero or unchanged figures are not involved", () => {
    expect(softWarnings(form, { tt_so_buoi: 0, tt_luot_nguoi: 1000 }, ["tt_luot_nguoi"], undefined, m)).toEqual([]);
    expect(softWarnings(form, { tt_so_buoi: 1, tt_luot_nguoi: 1000 }, ["hg_tiep_nhan"], undefined, m)).toEqual([]);
  });
});

describe("softWarnings: jump from the previous period", () => {
  it("questions a figure at least 10 times last period's", () => {
    const w = softWarnings(form, { tt_so_buoi: 50 }, ["tt_so_buoi"], { tt_so_buoi: 5 }, m);
    expect(w).toEqual(["Số buổi tuyên truyền, phổ biến pháp luật: 50 buổi, gấp 10 lần kỳ trước (5 buổi)."]);
  });

  it("writes money with thousands dots and its unit", () => {
    const w = softWarnings(form, { qvnn_van_dong: 30_000_000 }, ["qvnn_van_dong"], { qvnn_van_dong: 1_500_000 }, m);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain("30.000.000 đồng");
    expect(w[0]).toContain("gấp 20 lần");
    expect(w[0]).toContain("(1.500.000 đồng)");
  });

  it("is silent just below 10 times", () => {
    expect(softWarnings(form, { tt_so_buoi: 49 }, ["tt_so_buoi"], { tt_so_buoi: 5 }, m)).toEqual([]);
  });

  it("is silent when last period's figure was 0", () => {
    expect(softWarnings(form, { tt_so_buoi: 50 }, ["tt_so_buoi"], { tt_so_buoi: 0 }, m)).toEqual([]);
  });

  it("is silent without a previous period, or when last period did not have the figure", () => {
    expect(softWarnings(form, { tt_so_buoi: 50 }, ["tt_so_buoi"], undefined, m)).toEqual([]);
    expect(softWarnings(form, { tt_so_buoi: 50 }, ["tt_so_buoi"], { hg_tiep_nhan: 1 }, m)).toEqual([]);
  });

  it("only looks at figures that just changed", () => {
    expect(softWarnings(form, { tt_so_buoi: 50, hg_tiep_nhan: 1 }, ["hg_tiep_nhan"], { tt_so_buoi: 5 }, m)).toEqual([]);
  });

  it("does not compare percentages", () => {
    expect(softWarnings(form, { gdvh_ty_le: 90 }, ["gdvh_ty_le"], { gdvh_ty_le: 5 }, m)).toEqual([]);
  });

  it("follows the form's jump settings", () => {
    const strict: FormDef = { ...form, warnings: { jump_factor: 2, jump_min_previous: 10 } };
    expect(softWarnings(strict, { tt_so_buoi: 40 }, ["tt_so_buoi"], { tt_so_buoi: 20 }, m)).toHaveLength(1);
    // Below jump_min_previous: too small to compare.
    expect(softWarnings(strict, { tt_so_buoi: 40 }, ["tt_so_buoi"], { tt_so_buoi: 5 }, m)).toEqual([]);
  });

  it("reports both kinds of warning together", () => {
    const w = softWarnings(form, { tt_so_buoi: 2, tt_luot_nguoi: 5000 }, ["tt_luot_nguoi"], { tt_luot_nguoi: 100 }, m);
    expect(w).toHaveLength(2);
    expect(w[0]).toContain("Trung bình mỗi buổi có 2.500 người");
    expect(w[1]).toContain("gấp 50 lần");
  });
});

describe("figureVars", () => {
  it("formats every answered figure and derived value the Vietnamese way", () => {
    const vars = figureVars(
      form,
      { tt_so_buoi: 12, tt_luot_nguoi: 3850, tt_hinh_thuc: "loa", hg_tiep_nhan: 15, hg_thanh: 10, hg_khong_thanh: 5, txct_co: false, qvnn_van_dong: 15_000_000 },
      m,
    );
    expect(vars).toMatchObject({
      tt_so_buoi: "12",
      tt_luot_nguoi: "3.850",
      tt_hinh_thuc: "Loa truyền thanh",
      hg_ty_le_thanh: "66,7",
      hg_dang_giai_quyet: "0",
      txct_co: "không",
      qvnn_van_dong: "15.000.000",
    });
    expect(vars).not.toHaveProperty("gs_so_cuoc");
  });
});
