// One area's answers for one month, generated from the form definition: figures of a believable size for a
// residential area (a few sessions, a few hundred attendees, a few mediation cases, a few million đồng),
// every field the form asks, skip logic honoured (no attendees without sessions) and the hard rules kept
// (mediated cases never more than the cases received), so the drafts read like real ones.
import type { Field, FormDef } from "../../src/core/forms/schema.js";
import { fieldApplies } from "../../src/core/forms/steps.js";
import type { AnswerMap, Value } from "../../src/core/types.js";

/**
 * Typical monthly range of the default form's figures in one area ([low, high], before the area's own size
 * factor), and how often the figure is zero. Fields not named here get a range from their kind and bounds.
 */
const TYPICAL: Record<string, { range: [number, number]; zero?: number }> = {
  tt_so_buoi: { range: [1, 6], zero: 0.08 },
  tt_luot_nguoi: { range: [20, 70] }, // per session, multiplied by tt_so_buoi
  hg_tiep_nhan: { range: [1, 4], zero: 0.45 },
  txct_so_diem: { range: [1, 3] },
  txct_dai_bieu: { range: [2, 8] },
  txct_cu_tri: { range: [40, 300] },
  txct_phat_bieu: { range: [5, 40] },
  txct_kien_nghi: { range: [3, 60] },
  qvnn_van_dong: { range: [500_000, 20_000_000], zero: 0.15 },
  qvnn_chi: { range: [0, 15_000_000], zero: 0.25 },
  qvnn_so_ho: { range: [1, 15], zero: 0.2 },
  gdvh_ty_le: { range: [75, 98] },
  gs_so_cuoc: { range: [0, 2] },
  gs_tiep_dan: { range: [0, 12] },
  gs_don_nhan: { range: [1, 4], zero: 0.5 },
};

/** Answers for a field multiplied by another ("per session"). */
const PER: Record<string, string> = { tt_luot_nguoi: "tt_so_buoi" };

const TEXTS: Record<string, string[]> = {
  kk_kho_khan: [
    "Kinh phí hoạt động còn hạn chế",
    "Một số hộ dân đi làm ăn xa, khó vận động tham gia sinh hoạt",
    "Địa bàn rộng, dân cư phân tán",
    "Thành viên Ban công tác Mặt trận phần lớn lớn tuổi, kiêm nhiệm nhiều việc",
    "Thời tiết mưa bão kéo dài, ảnh hưởng đến việc tổ chức các buổi họp dân",
  ],
  kk_de_xuat: [
    "Đề nghị hỗ trợ thêm tài liệu tuyên truyền",
    "Đề nghị cấp trên hỗ trợ kinh phí tổ chức Ngày hội Đại đoàn kết",
    "Đề nghị tập huấn nghiệp vụ hòa giải cho hòa giải viên",
    "Đề nghị sửa chữa hệ thống loa truyền thanh của ấp",
  ],
};

/** How often an optional field is skipped (stored as null) and a yes/no field answered yes. */
const SKIP_OPTIONAL = 0.15;
const SKIP_TEXT = 0.45;
const YES = 0.3;

function generic(field: Field, random: () => number): Value {
  switch (field.kind) {
    case "count":
      return Math.floor(random() * Math.min(10, field.plausible?.max ?? 10));
    case "money":
      return Math.round((1 + random() * 9) * 1_000_000);
    case "percentage":
      return Math.round((60 + random() * 38) * 10) / 10;
    case "yesno":
      return random() < YES;
    case "choice":
      return field.options[Math.floor(random() * field.options.length)]!.value;
    case "text":
      return "Không có khó khăn đáng kể";
  }
}

function typical(field: Field, scale: number, values: AnswerMap, random: () => number): Value {
  const t = TYPICAL[field.id];
  if (field.kind === "text") {
    const texts = TEXTS[field.id];
    return texts ? texts[Math.floor(random() * texts.length)]! : generic(field, random);
  }
  if (!t || (field.kind !== "count" && field.kind !== "money" && field.kind !== "percentage")) return generic(field, random);
  if (t.zero && random() < t.zero) return 0;
  const [low, high] = t.range;
  if (field.kind === "percentage") return Math.round((low + random() * (high - low)) * 10) / 10;
  const per = PER[field.id] ? Number(values[PER[field.id]!] ?? 1) : 1;
  const raw = (low + random() * (high - low)) * (field.kind === "count" ? scale : Math.sqrt(scale)) * per;
  const value = field.kind === "money" ? Math.round(raw / 100_000) * 100_000 : Math.max(low > 0 ? 1 : 0, Math.round(raw));
  return field.plausible?.max !== undefined ? Math.min(value, field.plausible.max) : value;
}

/** Per section, the whole each part belongs to: "thành", "không thành" are parts of the cases received. */
interface SectionPlan {
  section: FormDef["sections"][number];
  partOf: Map<string, { whole: string; group: string[] }>;
}

/**
 * Months of the form for areas of relative size `scale` (1 = typical): every field that applies, optional
 * ones sometimes skipped (null), and each hard `not_greater` rule kept by drawing the parts under the whole.
 * The form is read once; each month is then a few dozen random draws.
 */
export class AnswerGenerator {
  private readonly plans: SectionPlan[];

  constructor(private readonly form: FormDef) {
    this.plans = form.sections.map((section) => {
      const partOf = new Map<string, { whole: string; group: string[] }>();
      for (const rule of section.rules) {
        if (rule.type !== "not_greater") continue;
        for (const id of rule.left) {
          const known = partOf.get(id);
          if (!known || known.group.length < rule.left.length) partOf.set(id, { whole: rule.right, group: rule.left });
        }
      }
      return { section, partOf };
    });
  }

  /** A month's answers; `sections` limits them to the first sections (a form in progress). */
  month(scale: number, random: () => number, sections = this.form.sections.length): AnswerMap {
    const values: AnswerMap = {};
    for (const { section, partOf } of this.plans.slice(0, sections)) {
      for (const field of section.fields) {
        if (!fieldApplies(section, field, values)) continue;
        if (field.optional && random() < (field.kind === "text" ? SKIP_TEXT : SKIP_OPTIONAL)) {
          values[field.id] = null;
          continue;
        }
        const part = partOf.get(field.id);
        const whole = part ? values[part.whole] : undefined;
        if (part && typeof whole === "number" && (field.kind === "count" || field.kind === "money")) {
          // What is left of the whole after the earlier parts of the same group: a typical figure kept under
          // it, or (for a figure with no typical size, like the cases mediated) a share of it.
          const before = part.group.indexOf(field.id);
          let left = whole;
          for (let i = 0; i < before; i++) {
            const v = values[part.group[i]!];
            if (typeof v === "number") left -= v;
          }
          left = Math.max(0, left);
          if (TYPICAL[field.id]) values[field.id] = Math.min(left, typical(field, scale, values, random) as number);
          else {
            const share = before === part.group.length - 1 ? 0.3 + random() * 0.7 : 0.5 + random() * 0.5;
            values[field.id] = field.kind === "money" ? Math.floor((left * share) / 100_000) * 100_000 : Math.floor(left * share);
          }
          continue;
        }
        values[field.id] = typical(field, scale, values, random);
      }
    }
    return values;
  }
}
