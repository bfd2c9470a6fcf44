// Cross-reference checks that a schema alone cannot express: every id a form mentions must exist, and skip
// logic may only look back. Returns problems as (path, message) pairs so the loader can name the field.
import { readPeriod } from "../periods.js";
import { withFormFrame, type ReportTexts } from "../report/texts.js";
import type { FormDef, Field } from "./schema.js";

export interface FormProblem {
  path: string;
  message: string;
}

const NUMERIC = new Set(["count", "money", "percentage"]);
const TEMPLATE_GLOBALS = new Set(["area", "commune", "period", "ratio"]);

/** Keywords and units are matched on folded words: each must hold a letter. */
function checkWords(words: readonly string[], path: string, problems: FormProblem[]): void {
  words.forEach((w, i) => {
    if (!/\p{L}/u.test(w)) problems.push({ path: `${path}[${i}]`, message: `“${w}” phải là một từ hoặc cụm từ` });
  });
}

export function checkForm(form: FormDef): FormProblem[] {
  const problems: FormProblem[] = [];
  const seen = new Map<string, Field["kind"] | "derived">();
  const numeric = new Set<string>();

  const known = (id: string) => seen.has(id);
  const needNumeric = (id: string, path: string) => {
    if (!numeric.has(id)) problems.push({ path, message: `“${id}” không phải chỉ tiêu dạng số đã khai báo` });
  };
  const checkTemplate = (template: string, path: string, allowed: Set<string>) => {
    for (const m of template.matchAll(/\{([a-z_][a-z0-9_]*)(\|(?:cmp|cmp_year|yes|answered|base))?\}/g)) {
      const name = m[1]!;
      if (!allowed.has(name) && !TEMPLATE_GLOBALS.has(name)) {
        problems.push({ path, message: `chỗ giữ chỗ {${name}} không khớp chỉ tiêu nào` });
      }
    }
  };

  // First pass: declare ids in order, checking that skip logic only refers to earlier fields.
  form.sections.forEach((section, s) => {
    const sp = `sections[${s}]`;
    if (section.when && !known(section.when.field)) {
      problems.push({ path: `${sp}.when.field`, message: `“${section.when.field}” phải là chỉ tiêu ở phần trước` });
    }
    section.fields.forEach((field, f) => {
      const fp = `${sp}.fields[${f}]`;
      if (seen.has(field.id)) problems.push({ path: `${fp}.id`, message: `mã “${field.id}” bị trùng` });
      checkWords(field.keywords, `${fp}.keywords`, problems);
      checkWords(field.units, `${fp}.units`, problems);
      checkWords(field.shared_units, `${fp}.shared_units`, problems);
      if ("plausible" in field && field.plausible?.min !== undefined && field.plausible.max !== undefined && field.plausible.min > field.plausible.max) {
        problems.push({ path: `${fp}.plausible`, message: "min phải nhỏ hơn hoặc bằng max" });
      }
      if (field.when && !known(field.when.field)) {
        problems.push({ path: `${fp}.when.field`, message: `“${field.when.field}” phải là chỉ tiêu được hỏi trước` });
      }
      seen.set(field.id, field.kind);
      if (NUMERIC.has(field.kind)) numeric.add(field.id);
    });
    section.derived.forEach((d, i) => {
      if (seen.has(d.id)) problems.push({ path: `${sp}.derived[${i}].id`, message: `mã “${d.id}” bị trùng` });
      const refs = d.ratio ?? d.difference;
      if (!refs) problems.push({ path: `${sp}.derived[${i}]`, message: "cần khai báo ratio hoặc difference" });
      refs?.forEach((r, j) => needNumeric(r, `${sp}.derived[${i}].${d.ratio ? "ratio" : "difference"}[${j}]`));
      seen.set(d.id, "derived");
      numeric.add(d.id);
    });
  });

  const all = new Set(seen.keys());
  form.sections.forEach((section, s) => {
    const sp = `sections[${s}]`;
    const own = new Set(section.fields.map((f) => f.id));
    section.together.forEach((id, i) => {
      if (!own.has(id)) problems.push({ path: `${sp}.together[${i}]`, message: `“${id}” không thuộc phần này` });
      else needNumeric(id, `${sp}.together[${i}]`);
    });
    if (section.together.length > 0 && !section.prompt) {
      problems.push({ path: `${sp}.prompt`, message: "phần có `together` cần câu hỏi chung `prompt`" });
    }
    section.rules.forEach((rule, r) => {
      const rp = `${sp}.rules[${r}]`;
      if (rule.type === "not_greater") {
        rule.left.forEach((id, i) => needNumeric(id, `${rp}.left[${i}]`));
        needNumeric(rule.right, `${rp}.right`);
      } else {
        needNumeric(rule.numerator, `${rp}.numerator`);
        needNumeric(rule.denominator, `${rp}.denominator`);
      }
      checkTemplate(rule.message, `${rp}.message`, all);
    });
    for (const key of ["sentences", "summary_sentences"] as const) {
      (section.report[key] ?? []).forEach((sentence, i) => {
        checkTemplate(sentence.text, `${sp}.report.${key}[${i}].text`, all);
        if (sentence.when && !all.has(sentence.when.field)) {
          problems.push({ path: `${sp}.report.${key}[${i}].when.field`, message: `“${sentence.when.field}” không tồn tại` });
        }
      });
    }
    if (section.summary) checkTemplate(section.summary, `${sp}.summary`, all);
  });

  form.chart.forEach((panel, c) => {
    panel.bars.forEach((bar, b) => needNumeric(bar.field, `chart[${c}].bars[${b}].field`));
    if (panel.note) {
      checkTemplate(panel.note, `chart[${c}].note`, numeric);
      if (/\{[^}]*\|/.test(panel.note)) problems.push({ path: `chart[${c}].note`, message: "ghi chú của biểu đồ chỉ dùng {mã_chỉ_tiêu}, không dùng |cmp hay |yes" });
    }
  });

  const window = form.collect?.days_before_deadline;
  form.reminders.schedule.forEach((step, i) => {
    if (window !== undefined && step.days < -window) {
      problems.push({ path: `reminders.schedule[${i}].days`, message: `nhắc ${-step.days} ngày trước hạn, khi báo cáo chưa mở (collect.days_before_deadline: ${window})` });
    }
  });

  if (form.applies_to.length > 1) {
    problems.push({ path: "applies_to", message: "một biểu mẫu do một cấp điền: chọn area (khu dân cư) hoặc commune (xã)" });
  }

  for (const key of ["difficulties_field", "proposals_field"] as const) {
    const id = form[key];
    if (id && seen.get(id) !== "text") problems.push({ path: key, message: `“${id}” phải là chỉ tiêu dạng text` });
  }
  return problems;
}

/**
 * Checks of a form against the forms loaded before it: its short name is its own and does not read as a period
 * (so `/tonghop quy 3` never means a form), and its downloads are not named like another form's of the same
 * period kind.
 */
export function formSetProblems(form: FormDef, before: readonly FormDef[], texts: ReportTexts): FormProblem[] {
  const problems: FormProblem[] = [];
  const same = before.find((f) => f.short === form.short);
  if (same) problems.push({ path: "short", message: `tên ngắn “${form.short}” đã dùng cho biểu mẫu “${same.id}”` });
  const read = readPeriod(form.short, new Date(0));
  if (read.ok || read.reason === "ambiguous") problems.push({ path: "short", message: `tên ngắn “${form.short}” đọc thành một kỳ báo cáo; chọn tên khác` });
  const files = withFormFrame(texts, form.report_frame).files;
  for (const other of before.filter((f) => f.period.kind === form.period.kind)) {
    const theirs = withFormFrame(texts, other.report_frame).files;
    for (const kind of ["area", "summary", "export"] as const) {
      if (files[kind] === theirs[kind]) {
        problems.push({ path: `report_frame.files.${kind}`, message: `tên tệp “${files[kind]}” trùng với biểu mẫu “${other.id}” cùng loại kỳ; đặt tên riêng` });
      }
    }
  }
  return problems;
}
