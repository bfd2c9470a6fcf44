// Turns a document reference from the outbox into a .docx, from the data committed at that moment.
// Generating on delivery (not at completion) keeps the outbox small and makes a restart harmless.
import type { DocumentRef } from "../core/events.js";
import type { Clock } from "../core/clock.js";
import { buildAreaReport } from "../core/report/build-area-report.js";
import { renderDocx } from "../core/report/render-docx.js";
import { parsePeriodKey, periodFileLabel, periodKey, periodLabel, previousPeriod, type Period } from "../core/periods.js";
import { foldText } from "../core/numbers/normalize.js";
import { fill } from "../core/messages.js";
import { buildSummaryReport } from "../core/report/build-summary-report.js";
import { summarize, type Summary } from "../core/aggregate/summary.js";
import { memberKeys } from "../core/aggregate/totals.js";
import { buildExport } from "../core/export/build-export.js";
import { writeXlsx } from "../core/export/xlsx.js";
import type { Unit, Value } from "../core/types.js";
import type { Prompts } from "../config/load-prompts.js";
import type { DB } from "../store/db.js";
import { SqlWorld } from "../store/sql-world.js";
import { ChartService } from "./charts/chart-service.js";
import { withChart } from "../core/report/chart-block.js";

export interface RenderedFile {
  filename: string;
  /** The file's name in Vietnamese, for links that name it ("Báo cáo tháng 11-2026 - Ấp Bến Đò.docx"). */
  displayName?: string;
  bytes: Buffer;
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
    private readonly db: DB,
    private readonly prompts: Prompts,
    private readonly clock: Clock,
  ) {
    this.world = new SqlWorld(db);
    this.charts = new ChartService(db, prompts, clock);
  }

  async areaReport(unitCode: string, formId: string, period: Period): Promise<RenderedFile> {
    const form = this.prompts.forms.find((f) => f.id === formId);
    const area = this.world.unit(unitCode);
    const commune = area ? this.world.lineage(area.code).find((u) => u.level === "commune") : undefined;
    if (!form || !area || !commune) throw new Error(`Cannot draft a report for ${unitCode}/${formId}`);
    const key = periodKey(period);
    // Compared only with a report that was submitted, never with one left half-filled.
    const previousKey = periodKey(previousPeriod(period));
    const previous = this.world.submission(unitCode, formId, previousKey)?.status === "completed" ? this.world.answers(unitCode, formId, previousKey) : {};
    // The leader of record signs: by the full name they gave at /dangky, else by their chat name.
    const completedBy = this.db
      .prepare<[string, string, string], { name: string }>(
        `SELECT coalesce(p.full_name, p.display_name) AS name FROM submissions s JOIN people p ON s.completed_by = p.platform || ':' || p.user_id
          WHERE s.unit_code = ? AND s.form_id = ? AND s.period_key = ?`,
      )
      .get(unitCode, formId, key);
    const doc = buildAreaReport({
      form,
      texts: this.prompts.report,
      messages: this.prompts.messages,
      area,
      commune,
      period,
      values: this.world.answers(unitCode, formId, key),
      previous: Object.keys(previous).length > 0 ? previous : undefined,
      signer: completedBy?.name,
      now: this.clock.now(),
    });
    return {
      filename: `Bao-cao-${periodFileLabel(period)}-${fileSlug(area.name)}.docx`,
      displayName: this.displayName("area", period, area.name),
      bytes: await renderDocx(doc),
    };
  }

  /** The commune's (or higher unit's) report over its areas, as /tonghop sends it. */
  async summaryReport(unitCode: string, formId: string, period: Period): Promise<RenderedFile> {
    const { summary, parent } = this.summary(unitCode, formId, period);
    let doc = buildSummaryReport({ summary, parent, texts: this.prompts.report, messages: this.prompts.messages, now: this.clock.now() });
    // The chart is a picture of figures the text already states: a draft never waits for it.
    try {
      doc = withChart(doc, await this.charts.images(unitCode, formId, period));
    } catch {
      // Drawn without it.
    }
    return {
      filename: `Bao-cao-tong-hop-${periodFileLabel(period)}-${fileSlug(summary.root.name)}.docx`,
      displayName: this.displayName("summary", period, summary.root.name),
      bytes: await renderDocx(doc),
    };
  }

  /** Figures per area and indicator plus the audit trail, as a spreadsheet. */
  async exportSheet(unitCode: string, formId: string, period: Period): Promise<RenderedFile> {
    const { summary } = this.summary(unitCode, formId, period);
    const keys = memberKeys(summary.form, period) ?? [];
    const codes = new Set(summary.areas.map((a) => a.unit.code));
    const history = this.db
      .prepare<[string, string], { unit_code: string; period_key: string; field_id: string; old_json: string | null; new_json: string | null; by_name: string; at: string; source: string }>(
        `SELECT unit_code, period_key, field_id, old_json, new_json, by_name, at, source FROM answer_history
          WHERE form_id = ? AND period_key IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(formId, JSON.stringify(keys))
      .filter((r) => codes.has(r.unit_code))
      .map((r) => ({
        at: r.at,
        unit: r.unit_code,
        period: periodLabel(parsePeriodKey(r.period_key)!),
        field: r.field_id,
        old: r.old_json === null ? null : (JSON.parse(r.old_json) as Value),
        new: r.new_json === null ? null : (JSON.parse(r.new_json) as Value),
        byName: r.by_name,
        source: r.source,
      }));
    const sheets = buildExport(summary, history, this.prompts.report, this.prompts.messages);
    const bytes = await writeXlsx(sheets, { title: `${summary.form.subject} ${periodLabel(period)}` });
    return {
      filename: `So-lieu-${periodFileLabel(period)}-${fileSlug(summary.root.name)}.xlsx`,
      displayName: this.displayName("export", period, summary.root.name),
      bytes,
    };
  }

  private summary(unitCode: string, formId: string, period: Period): { summary: Summary; parent?: Unit } {
    const form = this.prompts.forms.find((f) => f.id === formId);
    const unit = this.world.unit(unitCode);
    if (!form || !unit) throw new Error(`Cannot summarise ${unitCode}/${formId}`);
    const summary = summarize(this.world.summaryData(unit, form, period));
    if (!summary) throw new Error(`Period ${periodKey(period)} does not fit form ${formId}`);
    return { summary, parent: unit.parentCode ? this.world.unit(unit.parentCode) : undefined };
  }

  /** The Vietnamese file name people see when they download it. */
  private displayName(kind: "area" | "summary" | "export", period: Period, unit: string): string {
    return fill(this.prompts.report.files[kind], { period: periodLabel(period).replace(/\//g, "-"), unit });
  }

  /** Said in place of a draft that could not be generated. */
  failureNote(ref: DocumentRef): string {
    const period = parsePeriodKey(ref.period);
    return fill(this.prompts.messages.draft_failed, {
      period: period ? periodLabel(period) : ref.period,
      area: this.world.unit(ref.unit)?.name ?? ref.unit,
    });
  }

  async render(ref: DocumentRef): Promise<RenderedFile> {
    const period = parsePeriodKey(ref.period);
    if (!period) throw new Error(`Bad period key ${ref.period}`);
    switch (ref.kind) {
      case "area_report":
        return this.areaReport(ref.unit, ref.form, period);
      case "summary_report":
        return this.summaryReport(ref.unit, ref.form, period);
      case "export":
        return this.exportSheet(ref.unit, ref.form, period);
    }
  }
}
