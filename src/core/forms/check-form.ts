// Cross-reference checks that a schema alone cannot express: every id a form mentions must exist, and skip
// logic may only look back. Returns problems as (path, message) pairs so the loader can name the field.
import { readPeriod } from "../periods.js";
import { withFormFrame, type ReportTexts } from "../report/texts.js";
import type { FormDef, Field } from "./schema.js";
import { memberPeriods } from "./form-periods.js";
import type { Period } from "../periods.js";

const CALENDAR_KINDS = new Set(["month", "quarter", "half", "nine_months", "year"]);
/** Kinds whose periods are calendar spans (a named round or a campaign has no months to sum). */
function isPeriodKind(kind: string): boolean {
  return CALENDAR_KINDS.has(kind);
}

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
      if (!field.from && !field.question) problems.push({ path: `${fp}.question`, message: "cần câu hỏi (question) cho chỉ tiêu được hỏi" });
      if (field.from && section.together.includes(field.id)) {
        problems.push({ path: `${fp}.from`, message: `“${field.id}” lấy từ báo cáo khác, không được hỏi nên không đặt trong together` });
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

  const only = form.collect?.periods;
  const perYear: Record<string, number> = { month: 12, quarter: 4, half: 2 };
  if (only) {
    const most = perYear[form.period.kind];
    if (!most) problems.push({ path: "collect.periods", message: `chỉ dùng cho kỳ month, quarter hoặc half (biểu mẫu này: ${form.period.kind})` });
    else only.forEach((n, i) => n > most && problems.push({ path: `collect.periods[${i}]`, message: `một năm chỉ có ${most} kỳ ${form.period.kind}` }));
  }

  if (form.applies_to.length > 1) {
    problems.push({ path: "applies_to", message: "một biểu mẫu do một cấp điền: chọn area (khu dân cư) hoặc commune (xã)" });
  }

  for (const key of ["difficulties_field", "proposals_field"] as const) {
    const id = form[key];
    if (id && seen.get(id) !== "text") problems.push({ path: key, message: `“${id}” phải là chỉ tiêu dạng text` });
  }
  return problems;
}

/** A period of the kind, to see whether another kind's periods fit inside it. */
function samplePeriod(kind: FormDef["period"]["kind"]): Period {
  return { kind, year: 2026, index: 1 } as Period;
}

/**
 * Checks of the figures a form takes from other forms (`from`), against every loaded form: the other form and
 * its field exist, the field is asked there (not itself taken) and of the same kind, and the other form is
 * filled by the same units over periods that fit inside this form's, cut off by the same rule.
 */
export function takenProblems(form: FormDef, forms: readonly FormDef[]): FormProblem[] {
  const problems: FormProblem[] = [];
  const missing = new Set<string>();
  form.sections.forEach((section, s) =>
    section.fields.forEach((field, f) => {
      const offer = field.offer_last;
      if (typeof offer === "object") {
        const op = `sections[${s}].fields[${f}].offer_last`;
        const source = forms.find((x) => x.id === offer.form);
        const other = source?.sections.flatMap((x) => x.fields).find((x) => x.id === offer.field);
        if (!source) {
          if (!missing.has(offer.form)) problems.push({ path: `${op}.form`, message: `không có biểu mẫu “${offer.form}” (hoặc tệp của nó có lỗi)` });
          missing.add(offer.form);
        }
        else if (!other) problems.push({ path: `${op}.field`, message: `biểu mẫu “${source.id}” không có chỉ tiêu “${offer.field}”` });
        else if (other.kind !== field.kind) problems.push({ path: `${op}.field`, message: `“${other.id}” của “${source.id}” là dạng ${other.kind}, “${field.id}” là dạng ${field.kind}` });
      }
      if (field.from && field.offer_last) problems.push({ path: `sections[${s}].fields[${f}].offer_last`, message: "chỉ tiêu lấy từ báo cáo khác không được hỏi, nên không có offer_last" });
      if (!field.from) return;
      const path = `sections[${s}].fields[${f}].from`;
      const source = forms.find((x) => x.id === field.from!.form);
      if (!source) {
        // Said once per missing form: every figure taken from it has the same cause.
        if (missing.has(field.from.form)) return;
        missing.add(field.from.form);
        return problems.push({ path: `${path}.form`, message: `không có biểu mẫu “${field.from.form}” (hoặc tệp của nó có lỗi)` });
      }
      if (source.id === form.id) return problems.push({ path: `${path}.form`, message: "phải là một biểu mẫu khác" });
      const other = source.sections.flatMap((x) => x.fields).find((x) => x.id === field.from!.field);
      if (!other) return problems.push({ path: `${path}.field`, message: `biểu mẫu “${source.id}” không có chỉ tiêu “${field.from.field}”` });
      if (other.from) return problems.push({ path: `${path}.field`, message: `“${other.id}” của “${source.id}” cũng lấy từ báo cáo khác; lấy từ báo cáo gốc` });
      if (other.kind !== field.kind) {
        problems.push({ path: `${path}.field`, message: `“${other.id}” của “${source.id}” là dạng ${other.kind}, “${field.id}” là dạng ${field.kind}` });
      }
      if (source.applies_to[0] !== form.applies_to[0]) {
        problems.push({ path: `${path}.form`, message: `“${source.id}” do cấp ${source.applies_to[0]} điền, biểu mẫu này do cấp ${form.applies_to[0]} điền` });
      }
      if (source.period.cutoff !== form.period.cutoff) {
        problems.push({ path: `${path}.form`, message: `“${source.id}” chốt số liệu theo ${source.period.cutoff}, biểu mẫu này theo ${form.period.cutoff}` });
      }
      const inner = isPeriodKind(form.period.kind) ? memberPeriods(source, samplePeriod(form.period.kind)) : undefined;
      if (!inner || source.period.kind === form.period.kind) {
        problems.push({ path: `${path}.form`, message: `kỳ ${source.period.kind} của “${source.id}” không nằm gọn trong kỳ ${form.period.kind} của biểu mẫu này` });
      }
    }),
  );
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
