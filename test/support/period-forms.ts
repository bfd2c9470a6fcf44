// Forms of the dated period kinds, written for tests as an operator would write them: the quarterly
// voter-contact form of test-forms.ts turned into a round form (opened by staff with /moky) and into a weekly one.
import { QUARTERLY_FORM } from "./test-forms.js";

const QUARTER_PERIOD = `period:
  kind: quarter
  cutoff: calendar
  deadline: { day: 14, month_offset: 0 }
collect: { days_before_deadline: 45 }
reminders:
  schedule:
    - { id: txct_truoc_han, days: -30, at: "08:00", action: ping_areas }`;

function variant(id: string, short: string, name: string, period: string, during: string): string {
  if (!QUARTERLY_FORM.includes(QUARTER_PERIOD)) throw new Error("QUARTERLY_FORM changed: update period-forms.ts");
  return QUARTERLY_FORM.replace("id: txct_quy", `id: ${id}`)
    .replace("short: txct", `short: ${short}`)
    .replace("name: Tiếp xúc cử tri", `name: ${name}`)
    .replace(QUARTER_PERIOD, period)
    .replaceAll("Trong quý", during);
}

/**
 * Voter contact by rounds: a round lasts 10 days unless /moky names its dates, is due 3 days after its last day,
 * and leaders are reminded the day before the deadline at 08:00, staff the day after.
 */
export const ROUND_FORM = variant(
  "txct_dot",
  "txct",
  "Tiếp xúc cử tri",
  `period:
  kind: round
  deadline: { days_after_end: 3 }
  round: { days: 10 }
reminders:
  schedule:
    - { id: txct_truoc_han, days: -1, at: "08:00", action: ping_areas }
    - { id: txct_qua_han, days: 1, at: "08:00", action: notify_staff }`,
  "Trong đợt",
);

/** A weekly report (Monday–Sunday), due the Monday after; leaders are reminded on the Sunday at 17:00. */
export const WEEKLY_FORM = variant(
  "tuan_so",
  "tuan",
  "Báo cáo tuần",
  `period:
  kind: week
  deadline: { days_after_end: 1 }
reminders:
  schedule:
    - { id: tuan_nhac, days: -1, at: "17:00", action: ping_areas }`,
  "Trong tuần",
);

/** A yearly campaign with fixed dates (the peak month of the "Vì người nghèo" fund), due 5 days after it ends. */
export const CAMPAIGN_FORM = variant(
  "vnn_cao_diem",
  "vnn",
  "Tháng cao điểm Vì người nghèo",
  `period:
  kind: campaign
  campaign: { start: "17/10", end: "18/11", title: 'Tháng cao điểm “Vì người nghèo”' }
  deadline: { days_after_end: 5 }`,
  "Trong đợt",
);
