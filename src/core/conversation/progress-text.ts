// The progress board (/tiendo): for each report kind, who has submitted, who is part-way (sections, or months of
// a longer period), who has not started, the deadline and days left. One message, edited in place as units
// submit; it says in its purpose which reports it shows, so it is rebuilt with the same ones.
import { exemptReason, type AreaStatus, type Column, type Summary } from "../aggregate/summary.js";
import type { FormDef } from "../forms/schema.js";
import { dueDate } from "../forms/form-periods.js";
import { daysBetween, formatChatDate, formatClock, localDate } from "../local-time.js";
import { fill } from "../messages.js";
import type { Period } from "../periods.js";
import { periodLabel } from "../periods.js";
import { type Ctx, reportLabel, unitWords } from "./context.js";
import { names } from "./name-list.js";
import { byMostMissing, memberCounts } from "./summary-text.js";

/** "Hạn nộp …, còn N ngày" as /tiendo says it. */
export function deadlineLine(ctx: Ctx, form: FormDef, period: Period): string {
  const m = ctx.messages;
  const due = dueDate(form, period);
  const days = daysBetween(localDate(ctx.now), due);
  const deadline = formatChatDate(due);
  if (days > 0) return fill(m.progress_deadline_ahead, { deadline, days });
  if (days === 0) return fill(m.progress_deadline_today, { deadline });
  return fill(m.progress_deadline_past, { deadline, days: -days });
}

/** Units are numbered in code order, the same numbers /duyet, /tralai, /lichsu and /sua accept. */
export function areaNumber(s: Summary, a: AreaStatus): number {
  return s.areas.indexOf(a) + 1;
}

/**
 * How many units below it a board above a commune names, line by line, for one report kind: every province of the
 * country (34) fits. A province has up to about 170 communes, and a board is one message edited in place (Telegram
 * cuts at 4,096 characters): past this, the units with the most still missing are named (as /tonghop names them)
 * and the rest are counted on one line. A board of several kinds shares these lines between them.
 */
export const BOARD_UNIT_LINES = 40;
/** The fewest lines a kind of a board of several kinds gets. */
const MIN_UNIT_LINES = 8;

/** The units below a board, in code order when they all fit; else those with the most still missing, first. */
function shownColumns(columns: readonly Column[], max: number): Column[] {
  return columns.length <= max ? [...columns] : byMostMissing(columns).slice(0, max);
}

/** One report kind's lines: the deadline, each commune's count above a commune, months, and the states. */
function progressLines(ctx: Ctx, s: Summary, unitLines: number): string[] {
  const m = ctx.messages;
  const lines = [deadlineLine(ctx, s.form, s.period)];
  if (!s.listed) {
    const shown = shownColumns(s.columns, unitLines);
    for (const c of shown) {
      const exempt = c.exempt > 0 ? fill(m.progress_group_exempt, { n: c.exempt, ...unitWords(ctx, s.form) }) : "";
      lines.push(fill(m.progress_group_line, { unit: c.unit.name, submitted: c.submitted, total: c.total, exempt, ...unitWords(ctx, s.form) }));
    }
    const named = new Set(shown);
    const rest = s.columns.filter((c) => !named.has(c));
    if (rest.length > 0) {
      const lagging = rest.filter((c) => c.submitted < c.total).length;
      const below = ctx.report.levels[rest[0]!.unit.level];
      const done = rest.length - lagging;
      const template = lagging === 0 ? m.progress_group_rest_done : done === 0 ? m.progress_group_rest_lagging : m.progress_group_rest;
      lines.push(fill(template, { n: rest.length, below, done, lagging }));
    }
  }
  // A longer period than the form's own: what is in, month by month, and each area's progress in months.
  const kind = m[`kind_${s.form.period.kind}`];
  const several = s.members.length > 1;
  if (several) lines.push(fill(m.progress_members, { kind, items: memberCounts(ctx, s) }));
  const partWay = (a: AreaStatus) => fill(several ? m.progress_months : m.progress_sections, { done: a.sectionsDone, total: a.sectionsTotal, kind });
  if (!s.listed) {
    // Above a commune: each unit below has its line; the states are counted, the names are on the communes' boards.
    const c = s.counts;
    lines.push(fill(m.progress_states_total, { accepted: c.accepted, submitted: c.submitted - c.accepted, returned: c.returned, in_progress: c.inProgress, not_started: c.notStarted }));
    return lines;
  }
  const byState = (state: AreaStatus["state"]) => s.areas.filter((a) => a.state === state);
  const label = (a: AreaStatus) => `${areaNumber(s, a)}. ${a.unit.name}${a.changedSinceReview ? ` ${m.progress_changed}` : ""}`;
  const groups: Array<[keyof typeof m, AreaStatus[], (a: AreaStatus) => string]> = [
    ["progress_accepted", byState("accepted"), label],
    ["progress_submitted", byState("submitted"), label],
    ["progress_returned", byState("returned"), (a) => `${label(a)}${a.review?.reason ? ` (${a.review.reason})` : ""}`],
    ["progress_in_progress", byState("in_progress"), (a) => `${label(a)} ${partWay(a)}`],
    ["progress_not_started", byState("not_started"), label],
    ["progress_exempt", byState("exempt"), (a) => `${label(a)} (${exemptReason(a)})`],
  ];
  for (const [key, list, fmt] of groups) {
    if (list.length === 0) continue;
    lines.push(fill(m[key], { n: list.length, items: names(ctx, list.map(fmt)) }));
  }
  return lines;
}

/** A board's report kind: its summary, and its number in the staff's list of kinds (shown with several). */
export interface BoardPart {
  s: Summary;
  number: number;
}

/** The board's text: one report kind as before, or a numbered block per kind. */
export function progressText(ctx: Ctx, parts: BoardPart[]): string {
  const m = ctx.messages;
  const updated = fill(m.progress_updated, { time: formatClock(ctx.now) });
  if (parts.length === 1) {
    const s = parts[0]!.s;
    return [fill(m.progress_title, { period: reportLabel(ctx, s.form, s.period), unit: s.root.name }), ...progressLines(ctx, s, BOARD_UNIT_LINES), updated].join("\n");
  }
  const lines = [fill(m.progress_title_several, { unit: parts[0]!.s.root.name })];
  const unitLines = Math.max(MIN_UNIT_LINES, Math.floor(BOARD_UNIT_LINES / parts.length));
  for (const { s, number } of parts) {
    lines.push("", fill(m.progress_kind, { n: number, name: s.form.name, period: periodLabel(s.period) }), ...progressLines(ctx, s, unitLines));
  }
  lines.push("", updated);
  return lines.join("\n");
}

/** The reports a board shows, by form and period key. */
export interface BoardReport {
  form: string;
  period: string;
}

/** "progress:<unit>:<form>@<period>,…": what the board is and which reports it shows, to rebuild it later. */
export function boardPurpose(unit: string, reports: BoardReport[]): string {
  return `progress:${unit}:${reports.map((r) => `${r.form}@${r.period}`).join(",")}`;
}

/** The start shared by every board of a unit. */
export function boardPrefix(unit: string): string {
  return `progress:${unit}:`;
}

/** The reports a board of `unit` shows, read back from its purpose; undefined for anything else. */
export function boardReports(purpose: string, unit: string): BoardReport[] | undefined {
  const prefix = boardPrefix(unit);
  if (!purpose.startsWith(prefix)) return undefined;
  const reports = purpose
    .slice(prefix.length)
    .split(",")
    .map((part) => /^([a-z][a-z0-9_]*)@(\S+)$/.exec(part))
    .map((x) => (x ? { form: x[1]!, period: x[2]! } : undefined));
  return reports.length > 0 && reports.every((r) => r) ? (reports as BoardReport[]) : undefined;
}
