// The shape of prompts/chart.yaml: every word drawn in a summary chart.
import { z } from "zod";

const text = z.string().min(1);

export const chartTextsSchema = z.strictObject({
  /** "{unit}: kết quả {period}" */
  title: text,
  /** After the title when a long chart takes several pictures: " ({index}/{count})". */
  page: text,
  /** "Đã nộp {submitted}/{total} {children}" */
  subtitle: text,
  /** After the subtitle when some units are excused: " (1 khu được miễn)". */
  subtitle_exempt: text,
  /** Column headers: the units drawn as rows, and their reporting state. */
  rows_header: z.strictObject({ area: text, commune: text }),
  status_header: text,
  /** The first row: the whole unit ("Toàn {unit}"). */
  total_row: text,
  states: z.strictObject({
    accepted: text,
    submitted: text,
    returned: text,
    /** "{done}/{total} phần" */
    in_progress: text,
    not_started: text,
    /** Excused from this report by the staff. */
    exempt: text,
  }),
  /** A commune's (or higher unit's) row: "{submitted}/{total}". */
  group_status: text,
  legend_current: text,
  legend_previous: text,
  /** A figure that was not reported. */
  no_data: text,
  /** Money written short: "{n} triệu". */
  money: z.strictObject({ thousand: text, million: text, billion: text }),
  /** "Số liệu đến {time} ngày {date}." */
  footer: text,
  /** Text alternative of the image (web view, drafts). */
  alt: text,
  /** Under the chart in a draft: "Biểu đồ: kết quả {period} của các {children}". */
  caption: text,
});

export type ChartTexts = z.infer<typeof chartTextsSchema>;
