// The shape of prompts/web.yaml: every word of the web view that staff and officers open with /web.
import { z } from "zod";

const text = z.string().min(1);
const notice = z.strictObject({ title: text, text });

export const webTextsSchema = z.strictObject({
  /** The browser tab: "Theo dõi báo cáo — {unit}". */
  title: text,
  /** Under the unit's name: "Số liệu lúc {time} ngày {date}". */
  updated: text,
  /** Back to the unit above: "← {unit}". */
  up: text,
  /** Jump links at the top, one per open report. */
  contents: text,
  report_heading: text,
  progress_heading: text,
  /** "Đã nộp {submitted}/{total} khu dân cư" */
  progress_summary: text,
  /** " (1 khu được miễn)": after the count, when some units are excused. */
  progress_exempt: text,
  columns: z.strictObject({ area: text, commune: text, state: text, draft: text, figure: text, unit: text }),
  /** A commune's row in a district: "{submitted}/{total} khu dân cư đã nộp". */
  group_state: text,
  download_area: text,
  totals_heading: text,
  /** "{period} (trên {n} khu dân cư báo cáo cả hai kỳ)": a side of a comparison over the areas in both periods. */
  compared_column: text,
  chart_heading: text,
  figures_heading: text,
  figures_hint: text,
  downloads_heading: text,
  download_summary: text,
  download_export: text,
  no_figures: text,
  no_reports: text,
  /** Who the page belongs to and how long the link works. */
  footer: text,
  /** Pages without data: a link that expired, was revoked or never existed, or a unit outside one's own. */
  expired: notice,
  revoked: notice,
  missing: notice,
  no_access: notice,
});

export type WebTexts = z.infer<typeof webTextsSchema>;
