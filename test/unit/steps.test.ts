import { describe, expect, it } from "vitest";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import {
  applicableValues,
  derivedValues,
  holds,
  isComplete,
  nextStep,
  opensSection,
  previousStep,
  stepsOf,
  type Step,
} from "../../src/core/forms/steps.js";
import { formatDecimal } from "../../src/core/numbers/format.js";
import type { AnswerMap } from "../../src/core/types.js";
import { COMPLETE_FORM } from "../support/form-values.js";

const prompts = loadPrompts(DEFAULT_PROMPTS);
const form = prompts.forms.find((f) => f.id === "mttq_dinh_ky")!;

/** A step as a short string: a field id, or "[a,b]" for a group. */
function show(step: Step | undefined): string | undefined {
  if (!step) return undefined;
  return step.kind === "field" ? step.field.id : `[${step.fields.map((f) => f.id).join(",")}]`;
}

/** A completed form whose optional percentage was skipped (/bo). */
const FULL: AnswerMap = { ...COMPLETE_FORM, gdvh_ty_le: null };

describe("stepsOf", () => {
  it("lists groups as one step each, in form order", () => {
    expect(stepsOf(form, {}).map(show)).toEqual([
      "[tt_so_buoi,tt_luot_nguoi]",
      "[hg_tiep_nhan,hg_thanh,hg_khong_thanh]",
      "txct_co",
      "[txct_so_diem,txct_dai_bieu,txct_cu_tri,txct_phat_bieu,txct_kien_nghi]",
      "[qvnn_van_dong,qvnn_chi,qvnn_so_ho]",
      "gdvh_ty_le",
      "[gs_so_cuoc,gs_tiep_dan,gs_don_nhan,gs_don_xu_ly]",
      "kk_kho_khan",
      "kk_de_xuat",
    ]);
  });

  it("adds the follow-up choice only when sessions were held", () => {
    expect(stepsOf(form, { tt_so_buoi: 0 }).map(show)).not.toContain("tt_hinh_thuc");
    expect(stepsOf(form, { tt_so_buoi: 3 }).map(show)).toContain("tt_hinh_thuc");
  });
});

describe("skip logic", () => {
  it("no sessions: neither the attendees nor the form of propaganda is asked", () => {
    expect(show(nextStep(form, { tt_so_buoi: 0 }))).toBe("[hg_tiep_nhan,hg_thanh,hg_khong_thanh]");
  });

  it("sessions held: attendees asked next on their own, then the form of propaganda", () => {
    expect(show(nextStep(form, { tt_so_buoi: 3 }))).toBe("tt_luot_nguoi");
    expect(show(nextStep(form, { tt_so_buoi: 3, tt_luot_nguoi: 90 }))).toBe("tt_hinh_thuc");
  });

  it("no cases received: neither successful nor unsuccessful is asked", () => {
    expect(show(nextStep(form, { tt_so_buoi: 0, hg_tiep_nhan: 0 }))).toBe("txct_co");
  });

  it("no voter meeting: the whole voter-meeting group is skipped", () => {
    const values: AnswerMap = { tt_so_buoi: 0, hg_tiep_nhan: 0, txct_co: false };
    expect(show(nextStep(form, values))).toBe("[qvnn_van_dong,qvnn_chi,qvnn_so_ho]");
    // Nor is any of its figures asked on its own.
    const asked = new Set<string | undefined>();
    let v: AnswerMap = { ...values };
    for (let step = nextStep(form, v); step; step = nextStep(form, v)) {
      asked.add(show(step));
      const fields = step.kind === "field" ? [step.field] : step.fields;
      v = { ...v, ...Object.fromEntries(fields.map((f) => [f.id, f.kind === "text" || f.kind === "choice" ? null : 0])) };
    }
    expect([...asked].some((s) => s?.includes("txct_"))).toBe(false);
    expect(isComplete(form, v)).toBe(true);
  });

  it("a voter meeting held: its figures are asked together", () => {
    expect(show(nextStep(form, { tt_so_buoi: 0, hg_tiep_nhan: 0, txct_co: true }))).toBe(
      "[txct_so_diem,txct_dai_bieu,txct_cu_tri,txct_phat_bieu,txct_kien_nghi]",
    );
  });

  it("holds: a bare condition means answered with something other than no/zero/skip", () => {
    expect(holds({ field: "x" }, { x: 3 })).toBe(true);
    expect(holds({ field: "x" }, { x: 0 })).toBe(false);
    expect(holds({ field: "x" }, { x: false })).toBe(false);
    expect(holds({ field: "x" }, { x: null })).toBe(false);
    expect(holds({ field: "x" }, {})).toBe(false);
    expect(holds({ field: "x", gt: 0 }, { x: 1 })).toBe(true);
    expect(holds({ field: "x", equals: true }, { x: true })).toBe(true);
    expect(holds({ field: "x", equals: true }, { x: "true" })).toBe(false);
    expect(holds(undefined, {})).toBe(true);
  });
});

describe("nextStep on a partly answered group", () => {
  it("asks only the missing figures, field by field", () => {
    const base = { tt_so_buoi: 0 };
    expect(show(nextStep(form, { ...base, hg_tiep_nhan: 15 }))).toBe("hg_thanh");
    expect(show(nextStep(form, { ...base, hg_tiep_nhan: 15, hg_thanh: 10 }))).toBe("hg_khong_thanh");
    expect(show(nextStep(form, { ...base, hg_tiep_nhan: 15, hg_khong_thanh: 5 }))).toBe("hg_thanh");
    expect(show(nextStep(form, { ...base, hg_tiep_nhan: 15, hg_thanh: 10, hg_khong_thanh: 5 }))).toBe("txct_co");
  });

  it("asks the whole group when only a figure that does not apply yet was given", () => {
    // Attendees depend on the number of sessions, which is not known: the group is asked as a whole.
    expect(show(nextStep(form, { tt_luot_nguoi: 30 }))).toBe("[tt_so_buoi,tt_luot_nguoi]");
  });

  it("keeps the step's section and index", () => {
    const step = nextStep(form, { tt_so_buoi: 0, hg_tiep_nhan: 15 })!;
    expect(step.section.id).toBe("hoa_giai");
    expect(step.sectionIndex).toBe(1);
  });

  it("opensSection only before anything of the section is answered", () => {
    const step = nextStep(form, { tt_so_buoi: 0 })!;
    expect(opensSection(step, { tt_so_buoi: 0 })).toBe(true);
    const partly = nextStep(form, { tt_so_buoi: 0, hg_tiep_nhan: 15 })!;
    expect(opensSection(partly, { tt_so_buoi: 0, hg_tiep_nhan: 15 })).toBe(false);
  });
});

describe("previousStep", () => {
  it("has nothing before the first question", () => {
    expect(previousStep(form, {})).toBeUndefined();
  });

  it("with a partly answered group, goes back to that group", () => {
    expect(show(previousStep(form, { tt_so_buoi: 3 }))).toBe("[tt_so_buoi,tt_luot_nguoi]");
  });

  it("goes back to the last answered step", () => {
    expect(show(previousStep(form, { tt_so_buoi: 3, tt_luot_nguoi: 90 }))).toBe("[tt_so_buoi,tt_luot_nguoi]");
    expect(show(previousStep(form, { tt_so_buoi: 3, tt_luot_nguoi: 90, tt_hinh_thuc: "loa" }))).toBe("tt_hinh_thuc");
  });

  it("skips steps that were not asked", () => {
    // txct_co = false: the voter-meeting group was never asked, so /lai from the fund group goes to txct_co.
    expect(show(previousStep(form, { tt_so_buoi: 0, hg_tiep_nhan: 0, txct_co: false }))).toBe("txct_co");
    // No sessions: the choice was never asked, so /lai from mediation goes to the propaganda group.
    expect(show(previousStep(form, { tt_so_buoi: 0 }))).toBe("[tt_so_buoi,tt_luot_nguoi]");
  });

  it("after the last question, goes back to it", () => {
    expect(show(previousStep(form, FULL))).toBe("kk_de_xuat");
  });
});

describe("derivedValues", () => {
  it("computes the success rate (66,7%) and the cases still pending", () => {
    const d = derivedValues(form, { hg_tiep_nhan: 15, hg_thanh: 10, hg_khong_thanh: 3 });
    expect(d.hg_ty_le_thanh).toBeCloseTo(66.6667, 3);
    expect(formatDecimal(d.hg_ty_le_thanh!, 1)).toBe("66,7");
    expect(d.hg_dang_giai_quyet).toBe(2);
  });

  it("pending is zero when every case is settled", () => {
    expect(derivedValues(form, { hg_tiep_nhan: 15, hg_thanh: 10, hg_khong_thanh: 5 }).hg_dang_giai_quyet).toBe(0);
  });

  it("treats a missing part of a difference as zero", () => {
    expect(derivedValues(form, { hg_tiep_nhan: 15, hg_thanh: 10 }).hg_dang_giai_quyet).toBe(5);
  });

  it("has no ratio when the denominator is zero or missing", () => {
    const d = derivedValues(form, { hg_tiep_nhan: 0, hg_thanh: 0, hg_khong_thanh: 0 });
    expect(d).not.toHaveProperty("hg_ty_le_thanh");
    expect(d.hg_dang_giai_quyet).toBe(0);
    expect(derivedValues(form, {})).toEqual({});
  });

  it("computes the share of petitions handled", () => {
    expect(derivedValues(form, { gs_don_nhan: 4, gs_don_xu_ly: 1 }).gs_ty_le_xu_ly).toBe(25);
  });
});

describe("applicableValues", () => {
  it("drops answers to questions that no longer apply", () => {
    const values: AnswerMap = {
      tt_so_buoi: 0,
      tt_luot_nguoi: 30,
      tt_hinh_thuc: "loa",
      hg_tiep_nhan: 0,
      hg_thanh: 0,
      hg_khong_thanh: 0,
      txct_co: false,
      txct_so_diem: 2,
      txct_cu_tri: 100,
    };
    expect(applicableValues(form, values)).toEqual({ tt_so_buoi: 0, hg_tiep_nhan: 0, txct_co: false });
  });

  it("keeps skipped (null) answers and everything that applies", () => {
    expect(applicableValues(form, FULL)).toEqual(FULL);
  });

  it("ignores ids that are not fields of the form", () => {
    expect(applicableValues(form, { tt_so_buoi: 1, not_a_field: 3 })).toEqual({ tt_so_buoi: 1 });
  });
});

describe("isComplete", () => {
  it("is true when every applicable question is answered (skips included)", () => {
    expect(isComplete(form, FULL)).toBe(true);
  });

  it("is false when any applicable answer is missing", () => {
    const { kk_de_xuat: _drop, ...missing } = FULL;
    expect(isComplete(form, missing)).toBe(false);
    expect(isComplete(form, { ...FULL, txct_co: true })).toBe(false);
    expect(isComplete(form, {})).toBe(false);
  });

  it("does not need answers for skipped questions", () => {
    const minimal: AnswerMap = {
      tt_so_buoi: 0,
      hg_tiep_nhan: 0,
      txct_co: false,
      qvnn_van_dong: 0,
      qvnn_chi: 0,
      qvnn_so_ho: 0,
      gdvh_ty_le: null,
      gs_so_cuoc: 0,
      gs_tiep_dan: 0,
      gs_don_nhan: 0,
      kk_kho_khan: null,
      kk_de_xuat: null,
    };
    expect(isComplete(form, minimal)).toBe(true);
  });
});
