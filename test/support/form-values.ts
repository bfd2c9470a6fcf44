// A completed default form as stored answers (no voter meetings held), shared by the unit tests.
import type { AnswerMap } from "../../src/core/types.js";

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
