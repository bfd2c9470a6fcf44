// Commune staff and officers: /tonghop, /tiendo, /nhacnho, /duyet, /tralai, /lichsu, /chitieu, /xuat and
// staff corrections. Every command works on the unit the group is linked to, for people whose role covers
// that unit; what they see never reaches outside their subtree.
import type { InboundEvent } from "../events.js";
import type { Effect } from "../effects.js";
import { fill } from "../messages.js";
import { foldText } from "../numbers/normalize.js";
import { formatDecimal } from "../numbers/format.js";
import { formatValue, formatWithUnit } from "../forms/format-value.js";
import type { FormDef } from "../forms/schema.js";
import { allFields } from "../forms/steps.js";
import { dueDate } from "../forms/form-periods.js";
import { summarize, type AreaStatus, type Summary } from "../aggregate/summary.js";
import { tableFigures } from "../report/figures.js";
import { upperFirst } from "../report/sentences.js";
import { periodKey, periodLabel, previousPeriod, type Period } from "../periods.js";
import { daysBetween, formatChatDate, formatShortDate, localDate, formatClock, formatDayClock } from "../local-time.js";
import type { Person, Unit } from "../types.js";
import { type Ctx, currentPeriod, defaultForm, hasAuthority, personOf, refuse, reply } from "./context.js";
import { startEdit } from "./editing.js";
import { summaryLine } from "./form-flow.js";
import { readField, settledValue } from "../forms/read-answer.js";
import { clipUnits } from "../text.js";
import { typedPeriod } from "./period-arg.js";

const MAX_NAMES = 12;

/** The unit a staff command is about: the group's linked unit, when the caller's role covers it. */
export function oversightUnit(ctx: Ctx, ev: InboundEvent, command: string): Unit | Effect {
  const person = personOf(ev);
  const grants = ctx.world.roles(person).filter((g) => g.role !== "reporter");
  if (grants.length === 0) return refuse(ctx, ev, command, ["commune_staff", "officer"]);
  let code = ev.chat.type === "group" ? ctx.world.chatUnit(ev.platform, ev.chat.id) : grants[0]!.unitCode;
  if (!code) return reply(ev, ctx.messages.not_linked);
  const unit = ctx.world.unit(code);
  if (!unit || unit.level === "area" || !hasAuthority(ctx, person, unit.code, ["commune_staff", "officer"])) {
    return reply(ev, fill(ctx.messages.oversight_where, { command }));
  }
  return unit;
}

function isEffect(x: unknown): x is Effect {
  return typeof x === "object" && x !== null && "type" in x;
}

/** "[kỳ]": a period as people type it, or the open period. Multi-month periods work for a monthly form. */
function periodArg(ctx: Ctx, ev: InboundEvent, form: FormDef, unit: Unit, text: string, command: string): Period | Effect {
  if (!text.trim()) return currentPeriod(ctx, form, unit.code);
  return typedPeriod(ctx, ev, form, unit.code, text, "summary", command);
}

/** The unit, form and period a staff command with an optional "[kỳ]" is about, or the polite refusal. */
function scope(ctx: Ctx, ev: InboundEvent, command: string, args: string): { unit: Unit; form: FormDef; period: Period } | Effect {
  const unit = oversightUnit(ctx, ev, command);
  if (isEffect(unit)) return unit;
  const form = defaultForm(ctx);
  const period = periodArg(ctx, ev, form, unit, args, command);
  return isEffect(period) ? period : { unit, form, period };
}

function names(list: string[], ctx: Ctx, max = MAX_NAMES): string {
  const shown = list.slice(0, max).join(", ");
  return list.length > max ? shown + fill(ctx.messages.summary_more, { n: list.length - max }) : shown;
}

/** A quarter lists the missing areas once per month: fewer names each, so the message stays one caption long. */
const MAX_NAMES_PER_MONTH = 6;

export function summaryOf(ctx: Ctx, form: FormDef, unit: Unit, period: Period): Summary {
  return summarize(ctx.world.summaryData(unit, form, period))!;
}

/** "tháng 10/2026 8/8 · tháng 11/2026 5/8 · …": how many areas have submitted each month of a longer period. */
function memberCounts(ctx: Ctx, s: Summary): string {
  return s.members.map((x) => fill(ctx.messages.summary_member_item, { period: periodLabel(x.period), submitted: x.submitted, total: x.total })).join(" · ");
}

/** Who has submitted: one count for a single period; month by month for a longer one, with who is missing. */
function completenessLines(ctx: Ctx, s: Summary): string[] {
  const m = ctx.messages;
  if (s.members.length <= 1) {
    const missing = s.missing.map((a) => a.unit.name);
    return [
      fill(m.summary_completeness, {
        submitted: s.submitted.length,
        total: s.areas.length,
        missing: missing.length ? fill(m.summary_missing, { names: names(missing, ctx) }) : "",
      }),
    ];
  }
  const kind = m[`kind_${s.form.period.kind}`];
  const lines = [fill(m.summary_members, { kind, items: memberCounts(ctx, s) })];
  for (const x of s.members) {
    if (x.missing.length === x.total) lines.push(fill(m.summary_member_none, { period: periodLabel(x.period) }));
    else if (x.missing.length) lines.push(fill(m.summary_member_missing, { period: periodLabel(x.period), names: names(x.missing.map((u) => u.name), ctx, MAX_NAMES_PER_MONTH) }));
  }
  if (s.contributing.length) {
    const reports = s.contributing.reduce((n, a) => n + a.membersDone.length, 0);
    lines.push(fill(m.summary_included, { reports, kind, areas: s.contributing.length }));
  }
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
    return none ? [fill(several ? m.summary_compare_none_members : m.summary_compare_none, { previous_period: periodLabel(before), kind })] : [];
  }
  const c = s.previous;
  const then = summaryLine(ctx, s.form, c.totals.values);
  if (!then) return [];
  if (c.whole) return [fill(m.summary_compare, { previous_period: periodLabel(c.period), items: then })];
  return [
    fill(several ? m.summary_compare_base_members : m.summary_compare_base, { previous_period: periodLabel(c.period), n: c.base.length, kind }),
    fill(m.summary_compare_line, { period: upperFirst(periodLabel(s.period)), items: summaryLine(ctx, s.form, c.current.values) }),
    fill(m.summary_compare_line, { period: upperFirst(periodLabel(c.period)), items: then }),
  ];
}

/** The compact /tonghop message: completeness, the summary line, the comparison, targets. */
export function summaryText(ctx: Ctx, s: Summary): string {
  const m = ctx.messages;
  const lines = [fill(m.summary_title, { period: periodLabel(s.period), unit: s.root.name }), ...completenessLines(ctx, s)];
  if (!s.areas.some((a) => a.contributes)) {
    lines.push(fill(m.summary_nothing, { period: periodLabel(s.period) }));
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

/** /tonghop [kỳ] */
export function totals(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const sc = scope(ctx, ev, "/tonghop", args);
  if (isEffect(sc)) return [sc];
  const { unit, form, period } = sc;
  const s = summaryOf(ctx, form, unit, period);
  const report = { unit: unit.code, form: form.id, period: periodKey(period) };
  return [reply(ev, summaryText(ctx, s), { document: { kind: "summary_report", report }, chart: report, purpose: "report" })];
}

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

/** The progress board: one message, rebuilt whenever an area submits or is reviewed. */
export function progressText(ctx: Ctx, s: Summary): string {
  const m = ctx.messages;
  const lines = [fill(m.progress_title, { period: periodLabel(s.period), unit: s.root.name }), deadlineLine(ctx, s.form, s.period)];
  const communeLevel = s.areas.every((a) => a.group.code === a.unit.code);
  if (!communeLevel) {
    for (const c of s.columns) lines.push(fill(m.progress_group_line, { unit: c.unit.name, submitted: c.submitted, total: c.total }));
  }
  // A longer period than the form's own: what is in, month by month, and each area's progress in months.
  const kind = m[`kind_${s.form.period.kind}`];
  const several = s.members.length > 1;
  if (several) lines.push(fill(m.progress_members, { kind, items: memberCounts(ctx, s) }));
  const partWay = (a: AreaStatus) => fill(several ? m.progress_months : m.progress_sections, { done: a.sectionsDone, total: a.sectionsTotal, kind });
  const byState = (state: AreaStatus["state"]) => s.areas.filter((a) => a.state === state);
  const label = (a: AreaStatus) => `${areaNumber(s, a)}. ${a.unit.name}${a.changedSinceReview ? ` ${m.progress_changed}` : ""}`;
  const groups: Array<[keyof typeof m, AreaStatus[], (a: AreaStatus) => string]> = [
    ["progress_accepted", byState("accepted"), label],
    ["progress_submitted", byState("submitted"), label],
    ["progress_returned", byState("returned"), (a) => `${label(a)}${a.review?.reason ? ` (${a.review.reason})` : ""}`],
    ["progress_in_progress", byState("in_progress"), (a) => `${label(a)} ${partWay(a)}`],
    ["progress_not_started", byState("not_started"), label],
  ];
  for (const [key, list, fmt] of groups) {
    if (list.length === 0) continue;
    lines.push(fill(m[key], { n: list.length, items: names(list.map(fmt), ctx) }));
  }
  lines.push(fill(m.progress_updated, { time: formatClock(ctx.now) }));
  return lines.join("\n");
}

/** Areas are numbered in code order, the same numbers /duyet, /tralai, /lichsu and /sua accept. */
function areaNumber(s: Summary, a: AreaStatus): number {
  return s.areas.indexOf(a) + 1;
}

export function boardPurpose(unit: string, period: string): string {
  return `progress:${unit}:${period}`;
}

/** /tiendo [kỳ] */
export function progress(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const sc = scope(ctx, ev, "/tiendo", args);
  if (isEffect(sc)) return [sc];
  const { unit, form, period } = sc;
  const s = summaryOf(ctx, form, unit, period);
  return [reply(ev, progressText(ctx, s), { purpose: boardPurpose(unit.code, periodKey(period)) })];
}

/** The reminder to the lagging areas' leaders: one message per group, naming each of them. */
export function pingLagging(
  ctx: Ctx,
  s: Summary,
  cooldownHours: number,
  platforms: Array<InboundEvent["platform"]>,
): { effects: Effect[]; pinged: string[]; cannot: string[]; skipped: string[]; byChat: Map<string, string> } {
  const m = ctx.messages;
  const effects: Effect[] = [];
  const pinged: string[] = [];
  const cannot: string[] = [];
  const skipped: string[] = [];
  const byChat = new Map<string, string>();
  const now = ctx.now.getTime();
  const due = dueDate(s.form, s.period);
  const days = daysBetween(localDate(ctx.now), due);
  const left = days > 0 ? fill(m.remind_left_days, { days }) : days === 0 ? m.remind_left_today : fill(m.remind_left_late, { days: -days });
  // Group the people to ping by the chat they will be pinged in.
  const chats = new Map<string, { platform: InboundEvent["platform"]; chatId: string; people: Array<{ person: Person; area: Unit }> }>();
  for (const a of s.missing) {
    const reporters = ctx.world.holders(a.unit.code, "reporter").filter((p) => platforms.includes(p.platform));
    if (reporters.length === 0) {
      cannot.push(a.unit.name);
      continue;
    }
    const fresh = reporters.filter((p) => {
      const last = ctx.world.lastPinged(p.platform, p.userId);
      return last === undefined || now - last >= cooldownHours * 3_600_000;
    });
    if (fresh.length === 0) {
      skipped.push(a.unit.name);
      continue;
    }
    let placed = false;
    for (const p of fresh) {
      const chatId = ctx.world.chatsOf(p.platform, a.group.level === "commune" ? a.group.code : (a.unit.parentCode ?? ""))[0];
      if (!chatId) continue;
      const key = `${p.platform}:${chatId}`;
      const entry = chats.get(key) ?? { platform: p.platform, chatId, people: [] };
      entry.people.push({ person: p, area: a.unit });
      chats.set(key, entry);
      placed = true;
    }
    if (placed) pinged.push(a.unit.name);
    else cannot.push(a.unit.name);
  }
  for (const { platform, chatId, people } of chats.values()) {
    const text = fill(m.remind_ping, {
      names: people.map((x) => `${x.person.name} (${x.area.name})`).join(", "),
      period: periodLabel(s.period),
      deadline: formatShortDate(due),
      left,
    });
    byChat.set(`${platform}:${chatId}`, text);
    effects.push({
      type: "reply",
      out: { platform, chatId, text, mentions: people.map((x) => ({ userId: x.person.userId, name: x.person.name })), purpose: "reminder" },
    });
    for (const x of people) effects.push({ type: "ping", person: x.person, report: { unit: x.area.code, form: s.form.id, period: periodKey(s.period) } });
  }
  return { effects, pinged, cannot, skipped, byChat };
}

/** /nhacnho [kỳ] */
export function remind(ctx: Ctx, ev: InboundEvent, args: string, cooldownHours: number): Effect[] {
  const m = ctx.messages;
  const sc = scope(ctx, ev, "/nhacnho", args);
  if (isEffect(sc)) return [sc];
  const { unit, form, period } = sc;
  const s = summaryOf(ctx, form, unit, period);
  if (s.missing.length === 0) return [reply(ev, fill(m.remind_none_late, { period: periodLabel(period) }))];
  const result = pingLagging(ctx, s, cooldownHours, [ev.platform]);
  const report = [
    result.pinged.length ? fill(m.remind_result, { n: result.pinged.length, items: names(result.pinged, ctx) }) : "",
    result.skipped.length ? fill(m.remind_cooldown, { hours: cooldownHours, items: names(result.skipped, ctx) }) : "",
    result.cannot.length ? fill(m.remind_cannot, { items: names(result.cannot, ctx) }) : "",
  ].filter(Boolean);
  // In the commune's own group the ping and the report to the caller travel as one message.
  const here = `${ev.platform}:${ev.chat.id}`;
  const effects = result.effects.map((e) =>
    e.type === "reply" && `${e.out.platform}:${e.out.chatId}` === here
      ? { ...e, out: { ...e.out, text: [e.out.text, ...report].join("\n"), replyTo: ev.messageId } }
      : e,
  );
  if (!result.byChat.has(here)) effects.push(reply(ev, report.join("\n")));
  return effects;
}

/** "<khu>": a number from /tiendo, an area code, or the area's name typed with or without diacritics. */
export function matchArea(areas: Unit[], args: string): { area: Unit; rest: string } | undefined {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const first = words[0]!;
  if (/^\d+$/.test(first) && Number(first) >= 1 && Number(first) <= areas.length) {
    return { area: areas[Number(first) - 1]!, rest: words.slice(1).join(" ") };
  }
  const byCode = areas.find((a) => a.code === first);
  if (byCode) return { area: byCode, rest: words.slice(1).join(" ") };
  for (let k = Math.min(words.length, 6); k >= 1; k--) {
    const phrase = foldText(words.slice(0, k).join(" "));
    const hit = areas.find((a) => {
      const name = foldText(a.name);
      return name === phrase || name.endsWith(` ${phrase}`);
    });
    if (hit) return { area: hit, rest: words.slice(k).join(" ") };
  }
  return undefined;
}

function areaCommand(
  ctx: Ctx,
  ev: InboundEvent,
  command: string,
  args: string,
): { unit: Unit; form: FormDef; period: Period; s: Summary; area: AreaStatus; rest: string } | Effect {
  const m = ctx.messages;
  const unit = oversightUnit(ctx, ev, command);
  if (isEffect(unit)) return unit;
  const form = defaultForm(ctx);
  const period = currentPeriod(ctx, form, unit.code);
  const s = summaryOf(ctx, form, unit, period);
  const units = s.areas.map((a) => a.unit);
  if (!args.trim()) return reply(ev, fill(m.area_ref_usage, { command, example: units[0] ? `1` : "" }));
  const match = matchArea(units, args);
  if (!match) return reply(ev, fill(m.area_ref_unknown, { text: clipUnits(args.trim(), 40) }));
  return { unit, form, period, s, area: s.areas.find((a) => a.unit.code === match.area.code)!, rest: match.rest };
}

/** /duyet <khu> and /tralai <khu> <lý do> */
export function review(ctx: Ctx, ev: InboundEvent, args: string, status: "accepted" | "returned"): Effect[] {
  const m = ctx.messages;
  const r = areaCommand(ctx, ev, status === "accepted" ? "/duyet" : "/tralai", args);
  if (isEffect(r)) return [r];
  const period = periodLabel(r.period);
  const area = r.area.unit.name;
  if (r.area.state === "in_progress" || r.area.state === "not_started") return [reply(ev, fill(m.review_not_submitted, { area, period }))];
  const report = { unit: r.area.unit.code, form: r.form.id, period: periodKey(r.period) };
  const base = { type: "review" as const, report, by: personOf(ev) };
  if (status === "accepted") return [{ ...base, status }, reply(ev, fill(m.review_accepted, { area, period }))];
  if (!r.rest.trim()) return [reply(ev, fill(m.review_need_reason, { example: String(areaNumber(r.s, r.area)) }))];
  const reporters = ctx.world.holders(r.area.unit.code, "reporter").filter((p) => p.platform === ev.platform);
  const reason = clipUnits(r.rest.trim(), 500);
  return [
    { ...base, status, reason },
    { type: "submission", report, status: "reopened", by: personOf(ev) },
    reply(ev, fill(m.review_returned, { names: reporters.map((p) => p.name).join(", ") || area, period, area, reason }), {
      mentions: reporters.map((p) => ({ userId: p.userId, name: p.name })),
    }),
  ];
}

/** /lichsu <khu> */
export function history(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const m = ctx.messages;
  const r = areaCommand(ctx, ev, "/lichsu", args);
  if (isEffect(r)) return [r];
  const entries = ctx.world.history({ unit: r.area.unit.code, form: r.form.id, period: periodKey(r.period) });
  const area = r.area.unit.name;
  const period = periodLabel(r.period);
  if (entries.length === 0) return [reply(ev, fill(m.history_empty, { area, period }))];
  const fields = new Map(allFields(r.form).map((x) => [x.field.id, x.field]));
  const lines = entries.slice(-20).map((e) => {
    const f = fields.get(e.field);
    return fill(m.history_line, {
      at: formatDayClock(new Date(e.at)),
      name: e.byName,
      label: f?.label ?? e.field,
      old: f ? formatWithUnit(f, e.old, m) : String(e.old),
      new: f ? formatWithUnit(f, e.new, m) : String(e.new),
    });
  });
  return [reply(ev, [fill(m.history_title, { area, period }), ...lines].join("\n"))];
}

/** /sua <khu> …: staff correct an area's figure (a phone call), recorded under their own name. */
export function staffEdit(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const r = areaCommand(ctx, ev, "/sua", args);
  if (isEffect(r)) return [r];
  return startEdit(ctx, ev, { report: { unit: r.area.unit.code, form: r.form.id, period: periodKey(r.period) }, homeChatId: ev.chat.id }, r.rest, "staff");
}

/** /chitieu [số giá trị]: yearly targets of the group's unit. */
export function targets(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const m = ctx.messages;
  const unit = oversightUnit(ctx, ev, "/chitieu");
  if (isEffect(unit)) return [unit];
  const form = defaultForm(ctx);
  const year = Number(localDate(ctx.now).slice(0, 4));
  const figures = tableFigures(form).filter((x) => x.figure.kind === "count" || x.figure.kind === "money").map((x) => x.figure);
  const current = ctx.world.targets(unit.code, form.id, year);
  const match = /^(\d+)\s+(.+)$/.exec(args.trim());
  if (match) {
    const f = figures[Number(match[1]) - 1];
    if (!f) return [reply(ev, fill(m.edit_unknown, { n: match[1] }))];
    const field = form.sections.flatMap((s) => s.fields).find((x) => x.id === f.id)!;
    const read = readField(field, match[2]!, m, form);
    const value = settledValue(read, f.id);
    if (value === undefined && !read.ok) return [reply(ev, read.error)];
    if (typeof value !== "number") return [reply(ev, fill(m.bad_count, { example: "150" }))];
    return [
      { type: "set_target", unit: unit.code, form: form.id, year, field: f.id, value, by: personOf(ev) },
      reply(ev, fill(m.targets_done, { year, label: f.label, value: formatWithUnit(f, value, m) })),
    ];
  }
  const lines = figures.map((f, i) =>
    fill(m.targets_line, { n: i + 1, label: f.label, unit: "unit" in f ? String(f.unit) : "", value: f.id in current ? formatValue(f, current[f.id]!, m) : m.targets_unset }),
  );
  return [reply(ev, [fill(m.targets_title, { year, unit: unit.name }), ...lines].join("\n"))];
}

/** /xuat [kỳ]: a spreadsheet of the figures and the audit trail. */
export function exportSheet(ctx: Ctx, ev: InboundEvent, args: string): Effect[] {
  const sc = scope(ctx, ev, "/xuat", args);
  if (isEffect(sc)) return [sc];
  const { unit, form, period } = sc;
  return [
    reply(ev, fill(ctx.messages.export_caption, { period: periodLabel(period), unit: unit.name }), {
      document: { kind: "export", report: { unit: unit.code, form: form.id, period: periodKey(period) } },
      purpose: "report",
    }),
  ];
}
