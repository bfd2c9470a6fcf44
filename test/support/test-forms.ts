// Report kinds written for tests beside the shipped monthly one, and a prompts directory that holds them: a copy
// of prompts/ with these form files added. What a test adds here is YAML only, as an operator would add it.
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MONTHLY_PROMPTS } from "./monthly-prompts.js";

/**
 * A quarterly voter-contact report of the areas, offered from 45 days before its deadline (the 14th of the
 * quarter's last month), reminded 30 days before it (for quý IV/2026: 14/11 at 08:00, with the monthly form's
 * first step).
 */
export const QUARTERLY_FORM = `
id: txct_quy
short: txct
name: Tiếp xúc cử tri
title: Báo cáo kết quả tiếp xúc cử tri
subject: Kết quả phối hợp tổ chức tiếp xúc cử tri
period:
  kind: quarter
  cutoff: calendar
  deadline: { day: 14, month_offset: 0 }
collect: { days_before_deadline: 45 }
reminders:
  schedule:
    - { id: txct_truoc_han, days: -30, at: "08:00", action: ping_areas }
report_frame:
  area:
    intro:
      - "Thực hiện kế hoạch tiếp xúc cử tri của Ban Thường trực Ủy ban MTTQ Việt Nam {commune}, Ban công tác Mặt trận {area} báo cáo kết quả phối hợp tổ chức tiếp xúc cử tri {period} như sau:"
    closing: Trên đây là báo cáo kết quả tiếp xúc cử tri {period} của Ban công tác Mặt trận {area}./.
    appendix_subtitle: (Kèm theo Báo cáo kết quả tiếp xúc cử tri {period} của Ban công tác Mặt trận {area})
  summary:
    intro:
      - "Ban Thường trực Ủy ban MTTQ Việt Nam {unit} báo cáo kết quả phối hợp tổ chức tiếp xúc cử tri {period} ở các khu dân cư như sau:"
    closing: Trên đây là báo cáo kết quả tiếp xúc cử tri {period} của Ban Thường trực Ủy ban MTTQ Việt Nam {unit}./.
    appendix_subtitle: (Kèm theo Báo cáo kết quả tiếp xúc cử tri {period} của Ban Thường trực Ủy ban MTTQ Việt Nam {unit})
  files:
    area: "Báo cáo tiếp xúc cử tri {period} - {unit}.docx"
    summary: "Báo cáo tổng hợp tiếp xúc cử tri {period} - {unit}.docx"
    export: "Số liệu tiếp xúc cử tri {period} - {unit}.xlsx"
sections:
  - id: ket_qua
    title: Kết quả tiếp xúc cử tri
    short: Tiếp xúc cử tri
    prompt: Trong quý, khu dân cư phối hợp tổ chức tiếp xúc cử tri tại mấy điểm, có bao nhiêu cử tri dự và bao nhiêu kiến nghị?
    prompt_example: 2 điểm, 300 cử tri, 15 kiến nghị
    together: [q_diem, q_cu_tri, q_kien_nghi]
    fields:
      - { id: q_diem, kind: count, unit: điểm, label: Số điểm tiếp xúc cử tri, question: Tổ chức tiếp xúc cử tri tại mấy điểm?, example: "2", units: [diem], plausible: { max: 50 } }
      - { id: q_cu_tri, kind: count, unit: cử tri, label: Số cử tri tham dự, question: Có bao nhiêu cử tri tham dự?, example: "300", units: [cu tri], plausible: { max: 50000 } }
      - { id: q_kien_nghi, kind: count, unit: kiến nghị, label: "Số ý kiến, kiến nghị", question: "Cử tri nêu bao nhiêu ý kiến, kiến nghị?", example: "15", units: [kien nghi, y kien], plausible: { max: 5000 } }
    report:
      sentences:
        - when: { field: q_diem, gt: 0 }
          text: Ban công tác Mặt trận đã phối hợp tổ chức tiếp xúc cử tri tại {q_diem} điểm, thu hút {q_cu_tri} cử tri tham dự; cử tri nêu {q_kien_nghi} ý kiến, kiến nghị.
      summary_sentences:
        - when: { field: q_diem, gt: 0 }
          text: Các khu dân cư đã phối hợp tổ chức tiếp xúc cử tri tại {q_diem} điểm, thu hút {q_cu_tri} cử tri tham dự; cử tri nêu {q_kien_nghi} ý kiến, kiến nghị.
      empty: Trong quý không tổ chức tiếp xúc cử tri.
    summary: Tiếp xúc cử tri {q_diem} điểm/{q_cu_tri} cử tri, {q_kien_nghi} kiến nghị
`;

/** A copy of the monthly-only prompts with these form files added (name → YAML text); returns its path. */
export function promptsWith(forms: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "baocao-prompts-"));
  cpSync(MONTHLY_PROMPTS, dir, { recursive: true });
  for (const [name, yaml] of Object.entries(forms)) writeFileSync(join(dir, "forms", name), yaml);
  return dir;
}
