// Turns a document reference from the outbox into a .docx, from the data committed at that moment.
// Generating on delivery (not at completion) keeps the outbox small and makes a restart harmless.
import type { DocumentRef } from "../core/events.js";
import type { Clock } from "../core/clock.js";
import { buildAreaReport } from "../core/report/build-area-report.js";
import { renderDocx } from "../core/report/render-docx.js";
import { periodKey, periodLabel, previousPeriod, type Period } from "../core/periods.js";
import { periodOfKey } from "../core/period-of-key.js";
import { foldText } from "../core/numbers/normalize.js";
import { fill } from "../core/messages.js";
import { buildSummaryReport } from "../core/report/build-summary-report.js";
import { summarize, type Summary } from "../core/aggregate/summary.js";
import { memberKeys } from "../core/forms/form-periods.js";
import { buildExport } from "../core/export/build-export.js";
import { writeXlsx } from "../core/export/xlsx.js";
import type { ReportKey } from "../core/report-key.js";
import type { Unit } from "../core/types.js";
import type { Prompts } from "../config/load-prompts.js";
import type { FormDef } from "../core/forms/schema.js";
import { takenOf, withTakenFigures } from "../core/forms/taken-world.js";
import type { SqlWorld } from "../store/sql-world.js";
import { ChartService, type ChartPicture } from "./charts/chart-service.js";
import { withChart } from "../core/report/chart-block.js";
import { withFormFrame } from "../core/report/texts.js";

export interface RenderedFile {
  filename: string;
  /** The file's name in Vietnamese, for links that name it ("Báo cáo tháng 11-2026 - Ấp Bến Đò.docx"). */
  displayName?: string;
  bytes: Buffer;
}

/**
 * "Báo cáo tháng 11-2026 - Ấp Bến Đò.docx" → "Bao-cao-thang-11-2026-Ap-Ben-Do.docx": the name people read,
 * in ASCII for the file itself (some phone and mail clients mangle diacritics), letter case kept.
 */
export function asciiFileName(name: string): string {
  const dot = name.lastIndexOf(".");
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  const plain = base.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");
  return plain.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "") + ext.replace(/[^A-Za-z0-9.]/g, "");
}

/** "Ấp Bến Đò" → "Ap-Ben-Do": ASCII file names survive every phone and mail client. */
export function fileSlug(name: string): string {
  return foldText(name)
    .split(" ")
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("-")
    .replace(/[^A-Za-z0-9-]/g, "");
}

export class DocumentService {
  private readonly world: SqlWorld;
  /** The summary charts, also drawn into the summary drafts. */
  readonly charts: ChartService;

  constructor(
    world: SqlWorld,
    private readonly prompts: Prompts,
    private readonly clock: Clock,
  ) {
    // Answers carry the figures forms take from other forms' reports.
    this.world = withTakenFigures(world, prompts.forms);
    this.charts = new ChartService(world, prompts, clock);
  }

  /** One reporting unit's own draft. */
  async areaReport(report: ReportKey): Promise<RenderedFile> {
    const { form, period } = this.resolve(report);
    const area = this.world.unit(report.unit);
    const commune = area ? this.world.lineage(area.code).find((u) => u.level === "commune") : undefined;
    if (!area || !commune) throw new Error(`Cannot draft a report for ${report.unit}/${report.form}`);
    // Compared only with a report that was submitted, never with one left half-filled.
    const previousKey = { ...report, period: periodKey(previousPeriod(period)) };
    const previous = this.world.submission(previousKey)?.status === "completed" ? this.world.answers(previousKey) : {};
    const doc = buildAreaReport({
      form,
      texts: this.prompts.report,
      messages: this.prompts.messages,
      area,
      commune,
      parent: area.parentCode ? this.world.unit(area.parentCode) : undefined,
      period,
      values: this.world.answers(report),
      previous: Object.keys(previous).length > 0 ? previous : undefined,
      signer: this.world.signer(report),
      taken: takenOf(this.world, this.prompts.forms, report),
      now: this.clock.now(),
    });
    return { ...this.names(form, "area", period, area.name), bytes: await renderDocx(doc) };
  }

  /** The commune's (or higher unit's) report over its areas, as /tonghop sends it (`report.unit` is that unit). */
  async summaryReport(report: ReportKey): Promise<RenderedFile> {
    const { summary, parent, period } = this.summary(report);
    // The chart's pictures are started first and drawn on the thread pool while the text is written and packed.
    let pictures: ChartPicture[] = [];
    try {
      pictures = await this.charts.pictures(report, summary);
    } catch {
      // Drawn without it.
    }
    const takenFrom = this.prompts.forms.filter((f) => summary.form.sections.some((s) => s.fields.some((x) => x.from?.form === f.id)));
    const doc = buildSummaryReport({ summary, parent, texts: this.prompts.report, messages: this.prompts.messages, now: this.clock.now(), takenFrom });
    const names = this.names(summary.form, "summary", period, summary.root.name);
    try {
      return { ...names, bytes: await renderDocx(pictures.length > 0 ? withChart(doc, pictures) : doc) };
    } catch (err) {
      // The chart is a picture of figures the text already states: a draft whose chart failed goes without it.
      const drawn = await Promise.allSettled(pictures.map((p) => p.png));
      if (!drawn.some((d) => d.status === "rejected")) throw err;
      return { ...names, bytes: await renderDocx(doc) };
    }
  }

  /** Figures per area and indicator plus the audit trail, as a spreadsheet. */
  async exportSheet(report: ReportKey): Promise<RenderedFile> {
    const { summary, period } = this.summary(report);
    const keys = memberKeys(summary.form, period) ?? [];
    const history = this.world.historyUnder(report.unit, report.form, keys).map((r) => {
      const p = periodOfKey(this.world, summary.form, r.period);
      return { ...r, period: p ? periodLabel(p) : r.period };
    });
    const sheets = buildExport(summary, history, this.prompts.report, this.prompts.messages);
    const bytes = await writeXlsx(sheets, { title: `${summary.form.subject} ${periodLabel(period)}` });
    return { ...this.names(summary.form, "export", period, summary.root.name), bytes };
  }

  /** The form and period a key names; a key from the outbox or a link that names neither is an error. */
  private resolve(report: ReportKey): { form: FormDef; period: Period } {
    const form = this.prompts.forms.find((f) => f.id === report.form);
    const period = form ? periodOfKey(this.world, form, report.period) : undefined;
    if (!form || !period) throw new Error(`No form ${report.form} or period ${report.period}`);
    return { form, period };
  }

  private summary(report: ReportKey): { summary: Summary; parent?: Unit; period: Period } {
    const { form, period } = this.resolve(report);
    const unit = this.world.unit(report.unit);
    if (!unit) throw new Error(`Cannot summarise ${report.unit}/${report.form}`);
    const summary = summarize(this.world.summaryData(unit, form, period));
    if (!summary) throw new Error(`Period ${report.period} does not fit form ${report.form}`);
    return { summary, parent: unit.parentCode ? this.world.unit(unit.parentCode) : undefined, period };
  }

  /** The file's name as people read it (the form's own, or report.yaml's `files`), and in ASCII. */
  private names(form: FormDef, kind: "area" | "summary" | "export", period: Period, unit: string): { filename: string; displayName: string } {
    const template = withFormFrame(this.prompts.report, form.report_frame).files[kind];
    const displayName = fill(template, { period: periodLabel(period).replace(/\//g, "-"), unit });
    return { filename: asciiFileName(displayName), displayName };
  }

  /** Said in place of a draft that could not be generated. */
  failureNote(ref: DocumentRef): string {
    const form = this.prompts.forms.find((f) => f.id === ref.report.form);
    const period = form ? periodOfKey(this.world, form, ref.report.period) : undefined;
    return fill(this.prompts.messages.draft_failed, {
      period: period ? periodLabel(period) : ref.report.period,
      area: this.world.unit(ref.report.unit)?.name ?? ref.report.unit,
    });
  }

  async render(ref: DocumentRef): Promise<RenderedFile> {
    switch (ref.kind) {
      case "area_report":
        return this.areaReport(ref.report);
      case "summary_report":
        return this.summaryReport(ref.report);
      case "export":
        return this.exportSheet(ref.report);
    }
  }
}
