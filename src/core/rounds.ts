// Rounds: named periods staff open for a form (/moky txct Tiếp xúc cử tri trước kỳ họp thứ 5 từ 01/12 đến
// 10/12). A round is opened for a commune, or for a unit above it and then for every commune below. It is open
// from the moment it is opened until staff close it or its deadline (days_after_end after its last day) has
// passed; one round of a form is open per opening unit at a time, so "the report in progress" stays one.
import { dueDate } from "./forms/form-periods.js";
import type { FormDef } from "./forms/schema.js";
import { daysInMonth, localDate } from "./local-time.js";
import { foldPeriodText } from "./period-words.js";
import { noRound, type Period } from "./periods.js";
import type { World } from "./world.js";

/** A round as stored. */
export interface Round {
  /** Its number: the key of its reports is "R<id>". */
  id: number;
  form: string;
  /** The unit it was opened for (a commune, or a unit above for all communes below). */
  unit: string;
  name: string;
  /** Local "YYYY-MM-DD", inclusive. */
  start: string;
  end: string;
  openedBy: string;
  /** ISO instant. */
  openedAt: string;
  /** ISO instant when staff closed it early. */
  closedAt?: string;
}

/** Label of the placeholder period when a form has had no round yet. */
export const NO_ROUND_YET = "chưa mở đợt nào";

/** The round before `r` of the same form opened for the same unit (by start date, then number). */
export function previousRound(rounds: readonly Round[], r: Round): Round | undefined {
  return rounds
    .filter((x) => x.form === r.form && x.unit === r.unit && (x.start < r.start || (x.start === r.start && x.id < r.id)))
    .sort((a, b) => (a.start === b.start ? a.id - b.id : a.start < b.start ? -1 : 1))
    .at(-1);
}

/** The period a round stands for, knowing the round before it. */
export function roundPeriod(r: Round, before?: Round): Period {
  const period = (x: Round, previous?: Period): Period => ({
    kind: "round",
    year: Number(x.start.slice(0, 4)),
    index: x.id,
    round: { name: x.name, start: x.start, end: x.end, ...(previous ? { previous } : {}) },
  });
  return period(r, before ? period(before) : undefined);
}

/** The rounds of a form opened for a unit or any unit above it, newest first. */
export function roundsFor(world: World, form: FormDef, unitCode: string): Round[] {
  return world.rounds(form.id, world.lineage(unitCode).map((u) => u.code));
}

/** Whether a round is still being collected today: not closed and its deadline not passed. */
export function isRoundOpen(form: FormDef, r: Round, now: Date): boolean {
  return !r.closedAt && dueDate(form, roundPeriod(r)) >= localDate(now);
}

/** The period of a stored round with its previous round, or undefined for an unknown number. */
export function periodOfRound(world: Pick<World, "round" | "rounds">, form: FormDef, id: number): Period | undefined {
  const r = world.round(id);
  if (!r || r.form !== form.id) return undefined;
  return roundPeriod(r, previousRound(world.rounds(form.id, [r.unit]), r));
}

/**
 * The round a unit collects for a form: the open one opened most recently for it or a unit above; else the
 * latest round (closed or past); else the placeholder "no round yet" (it has no reports).
 */
export function currentRound(world: World, form: FormDef, unitCode: string, now: Date): { period: Period; open: boolean } {
  const rounds = roundsFor(world, form, unitCode);
  const open = rounds.find((r) => isRoundOpen(form, r, now));
  const r = open ?? rounds[0];
  if (!r) return { period: noRound(Number(localDate(now).slice(0, 4)), NO_ROUND_YET), open: false };
  return { period: roundPeriod(r, previousRound(rounds, r)), open: open !== undefined };
}

/**
 * The round a person names: "R12" or "12" (its number), "đợt này" / "đợt trước" (the current round and the
 * one before it), or words of its name typed loosely ("kỳ họp thứ 5", "truoc ky hop thu 5"); `listed` numbers
 * "1", "2"… count in the list /moky shows (newest first). Undefined when nothing or several rounds fit.
 */
export function findRound(rounds: readonly Round[], text: string, current?: Round): Round | undefined {
  const t = foldPeriodText(text).replace(/\s+/g, " ").trim();
  const number = /^(?:r|dot|so|#)?\s*(\d{1,6})$/.exec(t);
  if (number) return rounds.find((r) => r.id === Number(number[1]));
  if (/^(dot|ky) (nay|hien tai|hien nay)$/.test(t)) return current;
  if (/^(dot|ky) (truoc|vua qua|roi)$/.test(t)) return current ? previousRound(rounds, current) : undefined;
  const words = t.replace(/^(dot|ky) /, "").split(" ").filter(Boolean);
  if (words.length === 0) return undefined;
  const fits = rounds.filter((r) => {
    const name = ` ${foldPeriodText(r.name).replace(/[^a-z0-9]+/g, " ")} `;
    return words.every((w) => name.includes(` ${w} `));
  });
  return fits.length === 1 ? fits[0] : undefined;
}

/** What follows "/moky <form>" for a round form: a name, and its dates if typed. */
export type RoundWords =
  | { ok: true; name: string; start?: string; end?: string }
  | { ok: false; reason: "dates" };

const DATE = String.raw`(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?`;
/** "… từ 01/12 đến 10/12", "… 01/12 - 10/12/2026", "… đến 10/12" (typed with or without marks). */
const RANGE_TAIL = new RegExp(String.raw`(?:^|\s)(?:(?:từ|tu|tư|từ ngày|tu ngay)\s+)?${DATE}\s*(?:đến|den|tới|toi|–|-)\s*(?:ngày\s+|ngay\s+)?${DATE}\s*$`, "iu");
const UNTIL_TAIL = new RegExp(String.raw`(?:^|\s)(?:đến|den|tới|toi)\s+(?:ngày\s+|ngay\s+)?${DATE}\s*$`, "iu");
/** Anything that looks like a date left in the name means the dates were not understood. */
const STRAY_DATE = /\d{1,2}\/\d{1,2}/;

/** A typed day and month (year optional) as a local date, the year taken from `today` when omitted. */
function typedDate(d: string, m: string, y: string | undefined, today: string): string | undefined {
  const year = y === undefined ? Number(today.slice(0, 4)) : y.length === 2 ? 2000 + Number(y) : Number(y);
  const day = Number(d);
  const month = Number(m);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * Splits "Tiếp xúc cử tri trước kỳ họp thứ 5 từ 01/12 đến 10/12" into the name and the dates. A date without
 * a year is in today's year; an end that would fall before its start is in the next year ("từ 20/12 đến 05/01").
 */
export function readRoundWords(text: string, today: string): RoundWords {
  const t = text.trim().replace(/\s+/g, " ");
  const range = RANGE_TAIL.exec(t);
  if (range) {
    const start = typedDate(range[1]!, range[2]!, range[3], today);
    let end = typedDate(range[4]!, range[5]!, range[6], today);
    if (!start || !end) return { ok: false, reason: "dates" };
    if (end < start && range[6] === undefined) end = typedDate(range[4]!, range[5]!, String(Number(start.slice(0, 4)) + 1), today);
    if (!end || end < start) return { ok: false, reason: "dates" };
    const name = t.slice(0, range.index).trim();
    return STRAY_DATE.test(name) ? { ok: false, reason: "dates" } : { ok: true, name, start, end };
  }
  const until = UNTIL_TAIL.exec(t);
  if (until) {
    let end = typedDate(until[1]!, until[2]!, until[3], today);
    if (end && end < today && until[3] === undefined) end = typedDate(until[1]!, until[2]!, String(Number(today.slice(0, 4)) + 1), today);
    if (!end || end < today) return { ok: false, reason: "dates" };
    const name = t.slice(0, until.index).trim();
    return STRAY_DATE.test(name) ? { ok: false, reason: "dates" } : { ok: true, name, end };
  }
  return STRAY_DATE.test(t) ? { ok: false, reason: "dates" } : { ok: true, name: t };
}
