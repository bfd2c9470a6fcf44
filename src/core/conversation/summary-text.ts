// The summary as a chat message (/tonghop, the commune's completion notice): who has submitted (month by month
// for a longer period), the totals, the comparison with the previous period over the units that reported both,
// and the yearly targets.
import { exemptReason, summarize, type Column, type Summary } from "../aggregate/summary.js";
import type { FormDef } from "../forms/schema.js";
import { fill } from "../messages.js";
import { formatDecimal } from "../numbers/format.js";
import { periodKey, periodLabel, previousPeriod, type Period } from "../periods.js";
import { tableFigures } from "../report/figures.js";
import { upperFirst } from "../report/sentences.js";
import type { Unit } from "../types.js";
import { type Ctx, reportLabel, unitWords } from "./context.js";
import { summaryLine } from "./form-flow.js";
import { MAX_NAMES, names } from "./name-list.js";

/** A quarter lists the missing areas once per month: fewer names each, so the message stays one caption long. */
const MAX_NAMES_PER_MONTH = 6;

/** The summary of a form's reports for a period over the reporting units below (or at) a unit. */
export function summaryOf(ctx: Ctx, form: FormDef, unit: Unit, period: Period): Summary {
  return summarize(ctx.world.summaryData(unit, form, period))!;
}

/** "tháng 10/2026 8/8 · tháng 11/2026 5/8 · …": how many areas have submitted each month of a longer period. */
export function memberCounts(ctx: Ctx, s: Summary): string {
  return s.members.map((x) => fill(ctx.messages.summary_member_item, { period: periodLabel(x.period), submitted: x.submitted, total: x.total })).join(" · ");
}

/** " (1 khu được miễn)" after a count of `n` exempt units, or nothing. */
export function exemptNote(ctx: Ctx, s: Summary, n = s.counts.exempt): string {
  return n > 0 ? fill(ctx.messages.summary_exempt, { n, ...unitWords(ctx, s.form) }) : "";
}

/** "Được miễn: Ấp Sóc Bế (sáp nhập vào Ấp Bến Đò)." — the units excused from the whole period, with their reasons. */
function exemptLines(ctx: Ctx, s: Summary): string[] {
  const m = ctx.messages;
  const lines = s.exempt.length ? [fill(m.summary_exempt_names, { items: names(ctx, s.exempt.map((a) => `${a.unit.name} (${exemptReason(a)})`)) })] : [];
  if (s.members.length > 1) {
    const whole = new Set(s.exempt.map((a) => a.unit.code));
    for (const x of s.members) {
      const some = x.exempt.filter((u) => !whole.has(u.code));
      if (some.length) lines.push(fill(m.summary_exempt_member, { period: periodLabel(x.period), items: names(ctx, some.map((u) => u.name), MAX_NAMES_PER_MONTH) }));
    }
  }
  return lines;
}

/**
 * Above a commune, where the units are not named one by one: the units below with the most still missing, with
 * how many each ("Xã Tân Khai (12), Xã Phú Lập (9) và 40 xã khác").
 */
export function missingBelow(ctx: Ctx, s: Summary, max = MAX_NAMES): string {
  return laggingBelow(ctx, s, (c) => fill(ctx.messages.summary_missing_item, { unit: c.unit.name, n: c.total - c.submitted }), max);
}

/** The units below, those with the most still missing first (code order among equals). */
export function byMostMissing(columns: readonly Column[]): Column[] {
  return [...columns].sort((a, b) => b.total - b.submitted - (a.total - a.submitted));
}

/** The units below that still lack some, the most missing first, each as `item` says: "…, … và 40 xã khác". */
export function laggingBelow(ctx: Ctx, s: Summary, item: (c: Column) => string, max = MAX_NAMES): string {
  const lagging = byMostMissing(s.columns.filter((c) => c.submitted < c.total));
  if (lagging.length === 0) return "";
  const more = lagging.length - max;
  const below = ctx.report.levels[lagging[0]!.unit.level];
  return lagging.slice(0, max).map(item).join(", ") + (more > 0 ? fill(ctx.messages.summary_more_below, { n: more, below }) : "");
}

/** Who has submitted: one count for a single period; month by month for a longer one, with who is missing. */
function completenessLines(ctx: Ctx, s: Summary): string[] {
  const m = ctx.messages;
  if (s.members.length <= 1) {
    const missing = s.listed ? (s.missing.length ? names(ctx, s.missing.map((a) => a.unit.name)) : "") : missingBelow(ctx, s);
    return [
      fill(m.summary_completeness, {
        ...unitWords(ctx, s.form),
        submitted: s.counts.submitted,
        total: s.counts.expected,
        exempt: exemptNote(ctx, s),
        missing: missing ? fill(m.summary_missing, { names: missing }) : "",
      }),
      ...exemptLines(ctx, s),
    ];
  }
  const kind = m[`kind_${s.form.period.kind}`];
  const lines = [fill(m.summary_members, { kind, items: memberCounts(ctx, s) })];
  for (const x of s.members) {
    if (x.submitted === 0) lines.push(fill(m.summary_member_none, { period: periodLabel(x.period), ...unitWords(ctx, s.form) }));
    // Above a commune the months' counts say it; the names are listed in each commune's own summary.
    else if (s.listed && x.missing.length) lines.push(fill(m.summary_member_missing, { period: periodLabel(x.period), names: names(ctx, x.missing.map((u) => u.name), MAX_NAMES_PER_MONTH) }));
  }
  lines.push(...exemptLines(ctx, s));
  if (s.counts.contributing > 0) lines.push(fill(m.summary_included, { reports: s.counts.reports, kind, areas: s.counts.contributing, ...unitWords(ctx, s.form) }));
  return lines;
}

/** The comparison with the previous period, over the areas that reported both (and saying so when that is not all). */
function compareLines(ctx: Ctx, s: Summary): string[] {
  const m = ctx.messages;
  const several = s.members.length > 1;
  const kind = m[`kind_${s.form.period.kind}`];
  const before = previousPeriod(s.period);
  if (!s.previous) {
    const none = s.incomparable.some((p) => periodKey(p) === periodKey(before));
    return none ? [fill(several ? m.summary_compare_none_members : m.summary_compare_none, { previous_period: periodLabel(before), kind, ...unitWords(ctx, s.form) })] : [];
  }
  const c = s.previous;
  const then = summaryLine(ctx, s.form, c.totals.values);
  if (!then) return [];
  if (c.whole) return [fill(m.summary_compare, { previous_period: periodLabel(c.period), items: then })];
  return [
    fill(several ? m.summary_compare_base_members : m.summary_compare_base, { previous_period: periodLabel(c.period), n: c.n, kind, ...unitWords(ctx, s.form) }),
    fill(m.summary_compare_line, { period: upperFirst(periodLabel(s.period)), items: summaryLine(ctx, s.form, c.current.values) }),
    fill(m.summary_compare_line, { period: upperFirst(periodLabel(c.period)), items: then }),
  ];
}

/** The compact /tonghop message: completeness, the summary line, the comparison, targets. */
export function summaryText(ctx: Ctx, s: Summary): string {
  const m = ctx.messages;
  const lines = [fill(m.summary_title, { period: reportLabel(ctx, s.form, s.period), unit: s.root.name }), ...completenessLines(ctx, s)];
  if (s.counts.contributing === 0) {
    lines.push(fill(m.summary_nothing, { period: periodLabel(s.period), ...unitWords(ctx, s.form) }));
  } else {
    const line = summaryLine(ctx, s.form, s.totals.values);
    if (line) lines.push(line);
    lines.push(...compareLines(ctx, s));
  }
  if (s.targets.length > 0) {
    const labels = new Map(tableFigures(s.form).map((x) => [x.figure.id, x.figure.label]));
    const items = s.targets.map((t) =>
      fill(m.summary_target_item, { label: labels.get(t.field) ?? t.field, percent: formatDecimal(t.target > 0 ? (100 * t.achieved) / t.target : 0, 1) }),
    );
    lines.push(fill(m.summary_targets, { items: items.join("; ") }));
  }
  return lines.join("\n");
}
