// Answers for the unit tests: a completed default form as stored (no voter meetings held), and random answers
// of a field's kind.
import type { FormDef } from "../../src/core/forms/schema.js";
import { allFields } from "../../src/core/forms/steps.js";
import type { AnswerMap, Value } from "../../src/core/types.js";

export const COMPLETE_FORM: AnswerMap = {
  tt_so_buoi: 12,
  tt_luot_nguoi: 3850,
  tt_hinh_thuc: "hop_dan",
  hg_tiep_nhan: 15,
  hg_thanh: 10,
  hg_khong_thanh: 5,
  txct_co: false,
  qvnn_van_dong: 15_000_000,
  qvnn_chi: 10_000_000,
  qvnn_so_ho: 12,
  gdvh_ty_le: 92.5,
  gs_so_cuoc: 1,
  gs_tiep_dan: 5,
  gs_don_nhan: 3,
  gs_don_xu_ly: 2,
  kk_kho_khan: "Kinh phí hoạt động còn hạn chế",
  kk_de_xuat: null,
};

/**
 * A random answer to one of a form's fields, of the field's kind (a tenth of them skipped, as `null`): the
 * randomized tests of the kept totals draw their answers from it.
 */
export function randomValue(form: FormDef, id: string, rnd: () => number): Value | null {
  const field = allFields(form).find((f) => f.field.id === id)!.field;
  if (rnd() < 0.1) return null;
  switch (field.kind) {
    case "count":
      return Math.floor(rnd() * 50);
    case "money":
      return Math.floor(rnd() * 200) * 50_000;
    case "percentage":
      return Math.round(rnd() * 1000) / 10;
    case "yesno":
      return rnd() < 0.5;
    case "choice":
      return field.options[0]!.value;
    default:
      return rnd() < 0.5 ? "Khó khăn về kinh phí" : "";
  }
}
