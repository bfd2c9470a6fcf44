import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { assignNumbers, readField, readStep } from "../../src/core/forms/read-answer.js";
import { findField, nextStep, stepsOf, type Step } from "../../src/core/forms/steps.js";
import type { Field } from "../../src/core/forms/schema.js";
import { fill } from "../../src/core/messages.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);
const form = prompts.forms.find((f) => f.id === "mttq_dinh_ky")!;
const m = prompts.messages;

function groupOf(sectionId: string): Extract<Step, { kind: "together" }> {
  const step = stepsOf(form, {}).find((s) => s.section.id === sectionId && s.kind === "together");
  if (!step || step.kind !== "together") throw new Error(`no together step in ${sectionId}`);
  return step;
}

function field(id: string): Field {
  const found = findField(form, id);
  if (!found) throw new Error(`no field ${id}`);
  return found.field;
}

function ok(result: ReturnType<typeof readStep>): Record<string, unknown> {
  if (!result.ok) throw new Error(`expected ok, got error: ${result.error}`);
  return result.values;
}

function err(result: ReturnType<typeof readStep>): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.values)}`);
  return result.error;
}

/** The bot's question about its reading (nothing is stored yet). */
function asked(result: ReturnType<typeof readStep>) {
  if (result.ok || !result.ask) throw new Error(`expected a question, got ${JSON.stringify(result)}`);
  return { text: result.error, ...result.ask };
}

const tuyenTruyen = groupOf("tuyen_truyen");
const hoaGiai = groupOf("hoa_giai");
const quy = groupOf("quy_vi_nguoi_ngheo");

describe("the default form's first step", () => {
  it("is the propaganda group asked together", () => {
    const first = nextStep(form, {});
    expect(first?.kind).toBe("together");
    expect(first?.kind === "together" && first.fields.map((f) => f.id)).toEqual(["tt_so_buoi", "tt_luot_nguoi"]);
    expect(first).toEqual(tuyenTruyen);
  });
});

describe("readStep on a group", () => {
  it("reads sessions and attendees typed without diacritics, with a thousands dot", () => {
    expect(ok(readStep(tuyenTruyen, "12 buoi 3.850 nguoi", m))).toEqual({ tt_so_buoi: 12, tt_luot_nguoi: 3850 });
  });

  it("reads figures separated by a comma, with diacritics", () => {
    expect(ok(readStep(tuyenTruyen, "12 buổi, 350 lượt", m))).toEqual({ tt_so_buoi: 12, tt_luot_nguoi: 350 });
  });

  it("follows the keywords when the figures come in the reverse order", () => {
    expect(ok(readStep(tuyenTruyen, "350 người 12 buổi", m))).toEqual({ tt_so_buoi: 12, tt_luot_nguoi: 350 });
  });

  it("tells “thành” from “không thành” in mediation figures", () => {
    expect(ok(readStep(hoaGiai, "15 vụ, thành 10, không thành 5", m))).toEqual({
      hg_tiep_nhan: 15,
      hg_thanh: 10,
      hg_khong_thanh: 5,
    });
  });

  it("reads keywords before the numbers without commas", () => {
    expect(ok(readStep(hoaGiai, "tiếp nhận 15 thành 10 không thành 5", m))).toEqual({
      hg_tiep_nhan: 15,
      hg_thanh: 10,
      hg_khong_thanh: 5,
    });
  });

  it("keywords win over position", () => {
    expect(ok(readStep(hoaGiai, "không thành 5, thành 10, tiếp nhận 15", m))).toEqual({
      hg_tiep_nhan: 15,
      hg_thanh: 10,
      hg_khong_thanh: 5,
    });
  });

  it("reads money with multipliers next to a count", () => {
    expect(ok(readStep(quy, "thu 15tr chi 10 triệu giúp 12 hộ", m))).toEqual({
      qvnn_van_dong: 15_000_000,
      qvnn_chi: 10_000_000,
      qvnn_so_ho: 12,
    });
  });

  it("takes “không” as zero for every figure of the group", () => {
    expect(ok(readStep(hoaGiai, "không", m))).toEqual({ hg_tiep_nhan: 0, hg_thanh: 0, hg_khong_thanh: 0 });
    expect(ok(readStep(tuyenTruyen, "Không có.", m))).toEqual({ tt_so_buoi: 0, tt_luot_nguoi: 0 });
  });

  it("asks before giving a single unnamed number to the first field", () => {
    const q = asked(readStep(tuyenTruyen, "12", m));
    expect(q.confirm).toEqual({ tt_so_buoi: 12 });
    expect(q.text).toBe("Dạ, em hiểu là 12 buổi, đúng không ạ?");
    expect(asked(readStep(hoaGiai, "15", m)).confirm).toEqual({ hg_tiep_nhan: 15 });
  });

  it("stores a single named number that needs nothing else", () => {
    expect(ok(readStep(tuyenTruyen, "12 buổi", m))).toEqual({ tt_so_buoi: 12 });
  });

  it("holds a figure whose base is missing and asks for the base", () => {
    const q = asked(readStep(tuyenTruyen, "350 người", m));
    expect(q.kept).toEqual({ tt_luot_nguoi: 350 });
    expect(q.fields).toEqual(["tt_so_buoi"]);
    expect(q.text).toContain("Em ghi tạm 350 lượt người.");
    expect(q.text).toContain("mấy buổi tuyên truyền");
  });

  it("refuses more numbers than the group asks for, saying how many", () => {
    const e = err(readStep(tuyenTruyen, "12 buổi, 350 người, 4 lần", m));
    expect(e).toBe(fill(m.bad_too_many, { count: 3, expected: 2, example: "12 buổi, 350 người" }));
    expect(e).toContain("3 con số");
    expect(e).toContain("chỉ hỏi 2 số");
  });

  it("refuses a negative figure", () => {
    expect(err(readStep(tuyenTruyen, "-5 buổi, 30 người", m))).toBe(fill(m.bad_negative, { example: "12 buổi, 350 người" }));
  });

  it("refuses a fractional count", () => {
    expect(err(readStep(tuyenTruyen, "1,5 buổi, 30 người", m))).toBe(fill(m.bad_not_integer, { example: "12 buổi, 350 người" }));
  });

  it("refuses text without figures, with the group's example", () => {
    expect(err(readStep(hoaGiai, "chưa rõ lắm", m))).toBe(
      fill(m.bad_together, { example: "tiếp nhận 15, thành 10, không thành 5" }),
    );
  });

  it("reads a field step like readField", () => {
    const step = stepsOf(form, {}).find((s) => s.kind === "field" && s.field.id === "txct_co")!;
    expect(ok(readStep(step, "có", m))).toEqual({ txct_co: true });
  });
});

describe("assignNumbers", () => {
  const tt = tuyenTruyen.fields;
  const hg = hoaGiai.fields;
  const ids = (r: ReturnType<typeof assignNumbers>) => r?.map((x) => [x.field.id, x.value]);

  it("uses the unit word after a number", () => {
    expect(
      ids(
        assignNumbers(tt, [
          { value: 350, before: "", after: "nguoi" },
          { value: 12, before: "nguoi", after: "buoi" },
        ]),
      ),
    ).toEqual([
      ["tt_luot_nguoi", 350],
      ["tt_so_buoi", 12],
    ]);
  });

  it("gives the words between two numbers to one of them only: a keyword names the figure after it", () => {
    // "15 vụ thành 10": the unit stays with 15, "thành" goes to 10.
    expect(
      ids(
        assignNumbers(hg, [
          { value: 15, before: "", after: "vu" },
          { value: 10, before: "vu", after: "thanh" },
        ]),
      ),
    ).toEqual([
      ["hg_tiep_nhan", 15],
      ["hg_thanh", 10],
    ]);
    expect(ok(readStep(hoaGiai, "15 vu thanh 10 khong thanh 5", m))).toEqual({ hg_tiep_nhan: 15, hg_thanh: 10, hg_khong_thanh: 5 });
  });

  it("asks when a keyword between two bare figures may name either", () => {
    // "10 thành 5": thành 10 or thành 5? Both keep the rules.
    expect(asked(readStep(hoaGiai, "tiếp nhận 15 10 thành 5", m)).confirm).toBeDefined();
  });

  it("prefers the longer keyword: “khong thanh” is not “thanh”", () => {
    expect(
      ids(
        assignNumbers(hg, [
          { value: 5, before: "khong thanh", after: "" },
          { value: 10, before: "thanh", after: "" },
        ]),
      ),
    ).toEqual([
      ["hg_khong_thanh", 5],
      ["hg_thanh", 10],
    ]);
  });

  it("fills unnamed numbers into the fields in order only when every field is answered in that order", () => {
    expect(
      ids(
        assignNumbers(hg, [
          { value: 15, before: "", after: "" },
          { value: 10, before: "", after: "" },
          { value: 5, before: "", after: "" },
        ]),
      ),
    ).toEqual([
      ["hg_tiep_nhan", 15],
      ["hg_thanh", 10],
      ["hg_khong_thanh", 5],
    ]);
    // "thành 10, 15, 5": the named figure comes first, so the order of the others is not the question's.
    expect(
      assignNumbers(hg, [
        { value: 10, before: "thanh", after: "" },
        { value: 15, before: "", after: "" },
        { value: 5, before: "", after: "" },
      ]),
    ).toBeUndefined();
  });

  it("returns undefined for no numbers or too many", () => {
    expect(assignNumbers(tt, [])).toBeUndefined();
    expect(
      assignNumbers(tt, [
        { value: 1, before: "", after: "" },
        { value: 2, before: "", after: "" },
        { value: 3, before: "", after: "" },
      ]),
    ).toBeUndefined();
  });
});

describe("readField", () => {
  const hinhThuc = field("tt_hinh_thuc");
  const txct = field("txct_co");
  const khoKhan = field("kk_kho_khan");
  const soBuoi = field("tt_so_buoi");
  const tyLe = field("gdvh_ty_le");

  it("reads a choice by its number in the list", () => {
    expect(ok(readField(hinhThuc, "2", m))).toEqual({ tt_hinh_thuc: "loa" });
    expect(ok(readField(hinhThuc, "5.", m))).toEqual({ tt_hinh_thuc: "ket_hop" });
  });

  it("reads a choice by its label, with or without diacritics", () => {
    expect(ok(readField(hinhThuc, "Tủ sách pháp luật", m))).toEqual({ tt_hinh_thuc: "tu_sach" });
    expect(ok(readField(hinhThuc, "loa truyen thanh", m))).toEqual({ tt_hinh_thuc: "loa" });
  });

  it("reads a choice by a keyword inside a sentence", () => {
    expect(ok(readField(hinhThuc, "chủ yếu qua Zalo", m))).toEqual({ tt_hinh_thuc: "zalo" });
    expect(ok(readField(hinhThuc, "họp dân là chính", m))).toEqual({ tt_hinh_thuc: "hop_dan" });
  });

  it("picks the most specific keyword: “kết hợp” is not “họp” dân", () => {
    expect(ok(readField(hinhThuc, "kết hợp", m))).toEqual({ tt_hinh_thuc: "ket_hop" });
  });

  it("refuses a number outside the list, naming the range", () => {
    expect(err(readField(hinhThuc, "6", m))).toBe(fill(m.bad_choice, { max: 5 }));
    expect(err(readField(hinhThuc, "0", m))).toContain("từ 1 đến 5");
    expect(err(readField(hinhThuc, "không biết", m))).toBe(fill(m.bad_choice, { max: 5 }));
  });

  it("reads yes and no", () => {
    expect(ok(readField(txct, "có", m))).toEqual({ txct_co: true });
    expect(ok(readField(txct, "co to chuc", m))).toEqual({ txct_co: true });
    expect(ok(readField(txct, "không", m))).toEqual({ txct_co: false });
    expect(ok(readField(txct, "ko", m))).toEqual({ txct_co: false });
    expect(err(readField(txct, "1", m))).toBe(m.bad_yesno);
  });

  it("takes “không” for a text field as nothing to say (null)", () => {
    expect(ok(readField(khoKhan, "không", m))).toEqual({ kk_kho_khan: null });
    expect(ok(readField(khoKhan, "Không có.", m))).toEqual({ kk_kho_khan: null });
  });

  it("keeps text trimmed", () => {
    expect(ok(readField(khoKhan, "  Kinh phí còn hạn chế  ", m))).toEqual({ kk_kho_khan: "Kinh phí còn hạn chế" });
  });

  it("refuses text longer than the limit, with its length", () => {
    const long = "a".repeat(2001);
    expect(err(readField(khoKhan, long, m))).toBe(fill(m.bad_text_long, { length: 2001, max: 2000 }));
    expect(ok(readField(khoKhan, "a".repeat(2000), m)).kk_kho_khan).toHaveLength(2000);
  });

  it("reads a single count and refuses a negative or several numbers", () => {
    expect(ok(readField(soBuoi, "12 buổi", m))).toEqual({ tt_so_buoi: 12 });
    expect(err(readField(soBuoi, "-3", m))).toBe(fill(m.bad_negative, { example: "12" }));
    expect(err(readField(soBuoi, "12 và 15", m))).toBe(fill(m.bad_several, { example: "12" }));
  });

  it("asks about a round-off or a doubt instead of storing it", () => {
    const luot = field("tt_luot_nguoi");
    expect(asked(readField(luot, "120 mấy người", m)).confirm).toEqual({ tt_luot_nguoi: 120 });
    expect(asked(readField(luot, "350 người, không nhớ chính xác", m)).confirm).toEqual({ tt_luot_nguoi: 350 });
    expect(asked(readField(luot, "300 hay 400", m)).fields).toEqual(["tt_luot_nguoi"]);
    expect(ok(readField(luot, "100 lẻ 5", m))).toEqual({ tt_luot_nguoi: 105 });
  });

  it("asks “nghìn hay triệu” for an amount without a unit and confirms one outside the band", () => {
    const q = asked(readField(field("qvnn_van_dong"), "20", m));
    expect(q.text.split("\n")[0]).toBe("Dạ, 20 nghìn hay 20 triệu ạ?");
    expect(q.bare).toEqual({ qvnn_van_dong: 20 });
    expect(asked(readField(field("qvnn_van_dong"), "1 tỷ", m)).confirm).toEqual({ qvnn_van_dong: 1e9 });
    expect(ok(readField(field("qvnn_van_dong"), "15000000", m))).toEqual({ qvnn_van_dong: 15_000_000 });
  });

  it("reads a percentage with a decimal comma and refuses one above 100", () => {
    expect(ok(readField(tyLe, "92,5%", m))).toEqual({ gdvh_ty_le: 92.5 });
    expect(readField(tyLe, "120%", m).ok).toBe(false);
  });
});
