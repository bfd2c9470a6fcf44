// Turns a document reference from the outbox into a .docx, from the data committed at that moment.
// Generating on delivery (not at completion) keeps the outbox small and makes a restart harmless.
import type { DocumentRef } from "../core/events.js";
import type { Clock } from "../core/clock.js";
import { buildAreaReport } from "../core/report/build-area-report.js";
import { renderDocx } from "../core/report/render-docx.js";
import { parsePeriodKey, periodFileLabel, periodKey, previousPeriod, type Period } from "../core/periods.js";
import { foldText } from "../core/numbers/normalize.js";
import type { Prompts } from "../config/load-prompts.js";
import type { DB } from "../store/db.js";
import { SqlWorld } from "../store/sql-world.js";

export interface RenderedFile {
  filename: string;
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

  constructor(
    private readonly db: DB,
    private readonly prompts: Prompts,
    private readonly clock: Clock,
  ) {
    this.world = new SqlWorld(db);
  }

  async areaReport(unitCode: string, formId: string, period: Period): Promise<RenderedFile> {
    const form = this.prompts.forms.find((f) => f.id === formId);
    const area = this.world.unit(unitCode);
    const commune = area ? this.world.lineage(area.code).find((u) => u.level === "commune") : undefined;
    if (!form || !area || !commune) throw new Error(`Cannot draft a report for ${unitCode}/${formId}`);
    const key = periodKey(period);
    const previous = this.world.answers(unitCode, formId, periodKey(previousPeriod(period)));
    const completedBy = this.db
      .prepare<[string, string, string], { display_name: string }>(
        `SELECT p.display_name FROM submissions s JOIN people p ON s.completed_by = p.platform || ':' || p.user_id
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
      signer: completedBy?.display_name,
      now: this.clock.now(),
    });
    return { filename: `Bao-cao-${periodFileLabel(period)}-${fileSlug(area.name)}.docx`, bytes: await renderDocx(doc) };
  }

  async render(ref: DocumentRef): Promise<RenderedFile> {
    const period = parsePeriodKey(ref.period);
    if (!period) throw new Error(`Bad period key ${ref.period}`);
    return this.areaReport(ref.unit, ref.form, period);
  }
}
