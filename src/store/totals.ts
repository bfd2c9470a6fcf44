// The kept totals: one tally per unit above the reporting units, form, period and variant (table `tallies`),
// and how many units of each level lie under a unit (`unit_reach`). A change to reports is tracked before it
// is written and committed after, in the same transaction: each reporting unit's contribution to every tally it
// can move is computed from its stored facts before and after, and the difference is added to the tallies of
// every unit above it — a few rows per level, whatever the size of the tree.
import type { DB } from "./db.js";
import type { FormDef } from "../core/forms/schema.js";
import { affectedSlotsOf, contribution, membersOf, pairedPeriod, slotId, StandingCache, stateOn, statesOf, type AreaState, type PeriodResolver, type ReportFacts, type Review, type TallySlot } from "../core/aggregate/contribution.js";
import { periodOfKey } from "../core/period-of-key.js";
import { isCalendarKind, lastMonthOf, parsePeriodKey, periodContainingMonth, periodKey } from "../core/periods.js";
import { memberKeys } from "../core/forms/form-periods.js";
import { takeFigures, takenFields } from "../core/forms/taken-figures.js";
import { previousRound, roundPeriod } from "../core/rounds.js";
import { SqlWorld } from "./sql-world.js";
import { addTally, canonicalTally, emptyTally, isEmptyTally, type Tally, type Variant } from "../core/aggregate/tally.js";
import { fills } from "../core/open-reports.js";
import type { ReportKey } from "../core/report-key.js";
import type { AnswerMap, Submission, UnitLevel, Value } from "../core/types.js";
import type { UnitRow } from "./rows.js";
import type { Exemption } from "../core/exemption.js";

interface ExemptionRow {
  unit_code: string;
  period_key: string;
  reason: string;
  by_person: string;
  by_name: string;
  at: string;
}

/** An exemption row of one form as the core reads it. */
export const exemptionOf = (form: string, r: ExemptionRow): Exemption => ({
  unit: r.unit_code,
  form,
  period: r.period_key,
  reason: r.reason,
  byPerson: r.by_person,
  by: r.by_name,
  at: r.at,
});

/** What a form that takes figures from other forms' reports needs to add them to its answers. */
export interface TakingContext {
  form: FormDef;
  forms: readonly FormDef[];
}

/**
 * Reads a reporting unit's facts on one form from the database: submissions and reviews at once, answers per period.
 * A form that takes figures from other forms (a six-month report from the monthly ones) gets them added to its
 * answers, as every reader sees them (src/core/forms/taken-world.ts), read from the same unit's stored reports.
 */
export class StoredFacts implements ReportFacts {
  private readonly subs = new Map<string, Submission>();
  private readonly reviews = new Map<string, Review>();
  private readonly exemptions = new Map<string, Exemption>();
  private readonly answerCache = new Map<string, AnswerMap | undefined>();
  /** Every answer was read (`loadAll`): a period not in the cache has none. */
  private allLoaded = false;
  /** The source forms' facts of the same unit, and the answers with the taken figures added. */
  private sources = new Map<string, StoredFacts>();
  private readonly withTaken = new Map<string, AnswerMap | undefined>();

  constructor(
    private readonly q: TotalsQueries,
    private readonly unit: string,
    private readonly form: string,
    private readonly taking?: TakingContext,
  ) {
    for (const r of q.submissionsOf.all(unit, form)) {
      this.subs.set(r.period_key, { status: r.status, version: r.version, completedAt: r.completed_at ?? undefined });
    }
    for (const r of q.reviewsOf.all(unit, form)) this.reviews.set(r.period_key, { status: r.status, reason: r.reason ?? undefined, at: r.at });
    for (const r of q.exemptionsOf.all(unit, form)) this.exemptions.set(r.period_key, exemptionOf(form, r));
  }

  /** Reads again what these periods hold (after a change to them); the others are kept as read. */
  refresh(keys: Iterable<string>): void {
    this.allLoaded = false;
    // A source report may have changed in the same batch: its figures are read again.
    this.sources = new Map();
    this.withTaken.clear();
    for (const key of keys) {
      this.answerCache.delete(key);
      const sub = this.q.submissionOf.get(this.unit, this.form, key);
      if (sub) this.subs.set(key, { status: sub.status, version: sub.version, completedAt: sub.completed_at ?? undefined });
      else this.subs.delete(key);
      const review = this.q.reviewOf.get(this.unit, this.form, key);
      if (review) this.reviews.set(key, { status: review.status, reason: review.reason ?? undefined, at: review.at });
      else this.reviews.delete(key);
      const exemption = this.q.exemptionOfKey.get(this.unit, this.form, key);
      if (exemption) this.exemptions.set(key, exemptionOf(this.form, exemption));
      else this.exemptions.delete(key);
    }
  }

  /**
   * Reads every answer of the unit on the form at once (a rebuild needs them all) and returns the period keys it
   * has any report in.
   */
  loadAll(): string[] {
    const byKey = new Map<string, AnswerMap>();
    for (const r of this.q.allAnswersOf.all(this.unit, this.form)) {
      let a = byKey.get(r.period_key);
      if (!a) byKey.set(r.period_key, (a = {}));
      a[r.field_id] = r.value_json === null ? null : (JSON.parse(r.value_json) as Value);
    }
    for (const [k, a] of byKey) this.answerCache.set(k, a);
    const keys = new Set([...this.subs.keys(), ...this.reviews.keys(), ...this.exemptions.keys(), ...byKey.keys()]);
    this.allLoaded = true;
    return [...keys];
  }

  /**
   * Reads the answers of these periods in one statement (the periods a change's slots will look at), so the
   * contributions that follow find them read; periods already read are not read again.
   */
  prefetch(keys: Iterable<string>): void {
    if (this.allLoaded) return;
    const wanted = [...new Set(keys)].filter((k) => !this.answerCache.has(k));
    if (wanted.length === 0) return;
    const byKey = new Map<string, AnswerMap>();
    for (const [key, field, json] of this.q.answersIn.all(this.unit, this.form, JSON.stringify(wanted))) {
      let a = byKey.get(key);
      if (!a) byKey.set(key, (a = {}));
      a[field] = json === null ? null : (JSON.parse(json) as Value);
    }
    for (const k of wanted) this.answerCache.set(k, byKey.get(k));
  }

  answers(key: string): AnswerMap | undefined {
    const stored = this.storedAnswers(key);
    const taking = this.taking;
    // A unit that has not begun this report has no figures yet, taken or asked.
    if (!stored || !taking || takenFields(taking.form).length === 0) return stored;
    if (!this.withTaken.has(key)) {
      const period = parsePeriodKey(key);
      const taken = period
        ? takeFigures(taking.form, taking.forms, period, {
            answers: (source, k) => this.source(source).storedAnswers(k),
            submitted: (source, k) => this.source(source).submission(k)?.status === "completed",
          })
        : undefined;
      this.withTaken.set(key, taken ? { ...stored, ...taken.values } : stored);
    }
    return this.withTaken.get(key);
  }

  private source(form: string): StoredFacts {
    let f = this.sources.get(form);
    if (!f) this.sources.set(form, (f = new StoredFacts(this.q, this.unit, form)));
    return f;
  }

  /** The answers as stored, without taken figures. */
  storedAnswers(key: string): AnswerMap | undefined {
    if (!this.answerCache.has(key) && !this.allLoaded) {
      const rows = this.q.answersOf.all(this.unit, this.form, key);
      let a: AnswerMap | undefined;
      if (rows.length > 0) {
        a = {};
        for (const r of rows) a[r.field_id] = r.value_json === null ? null : (JSON.parse(r.value_json) as Value);
      }
      this.answerCache.set(key, a);
    }
    return this.answerCache.get(key);
  }

  submission(key: string): Submission | undefined {
    return this.subs.get(key);
  }

  review(key: string): Review | undefined {
    return this.reviews.get(key);
  }

  exemption(key: string): Exemption | undefined {
    return this.exemptions.get(key);
  }
}

const TALLY_KEYS = ["units", "complete", "states", "sums", "counts", "yes"];

/** Keys in order, every value rounded and none zero: what canonicalTally gives. */
function canonicalRecord(r: Record<string, number | undefined>): boolean {
  let last: string | undefined;
  for (const k in r) {
    const v = r[k];
    if (last !== undefined && !(last < k)) return false;
    if (v === undefined || v === 0 || Math.round(v * 1e6) / 1e6 !== v) return false;
    last = k;
  }
  return true;
}

/**
 * Whether a tally is already in canonical form. A stored tally moved by a delta almost always is (adding keeps
 * the keys' order and drops those that fall to zero), and checking costs far less than sorting every record.
 */
function isCanonical(t: Tally): boolean {
  let i = 0;
  for (const k in t) if (k !== TALLY_KEYS[i++]) return false;
  return i === TALLY_KEYS.length && canonicalRecord(t.states) && canonicalRecord(t.sums) && canonicalRecord(t.counts) && canonicalRecord(t.yes);
}

const queriesOf = new WeakMap<DB, TotalsQueries>();

/** The prepared statements of the totals of a database, prepared once and shared by the keeper, the readers and the rebuild. */
export function totalsQueries(db: DB): TotalsQueries {
  let q = queriesOf.get(db);
  if (!q) queriesOf.set(db, (q = new TotalsQueries(db)));
  return q;
}

/** The prepared statements of the totals (get them with `totalsQueries`). */
export class TotalsQueries {
  readonly submissionsOf;
  readonly reviewsOf;
  readonly submissionOf;
  readonly reviewOf;
  readonly exemptionsOf;
  readonly exemptionOfKey;
  readonly childExemptions;
  readonly answersOf;
  readonly allAnswersOf;
  readonly answersIn;
  readonly hasAnswers;
  readonly answersAndStatus;
  readonly startedAmong;
  readonly getTally;
  readonly putTally;
  readonly dropTally;
  readonly parentOf;
  readonly levelOf;
  readonly reach;
  readonly state;
  readonly setState;
  readonly childUnits;
  readonly childAnswers;
  readonly childSubmissions;
  readonly childReviews;

  constructor(readonly db: DB) {
    this.submissionsOf = db.prepare<[string, string], { period_key: string; status: Submission["status"]; version: number; completed_at: string | null }>(
      "SELECT period_key, status, version, completed_at FROM submissions WHERE unit_code = ? AND form_id = ?",
    );
    this.reviewsOf = db.prepare<[string, string], { period_key: string; status: Review["status"]; reason: string | null; at: string }>(
      "SELECT period_key, status, reason, at FROM reviews WHERE unit_code = ? AND form_id = ?",
    );
    this.submissionOf = db.prepare<[string, string, string], { status: Submission["status"]; version: number; completed_at: string | null }>(
      "SELECT status, version, completed_at FROM submissions WHERE unit_code = ? AND form_id = ? AND period_key = ?",
    );
    this.reviewOf = db.prepare<[string, string, string], { status: Review["status"]; reason: string | null; at: string }>(
      "SELECT status, reason, at FROM reviews WHERE unit_code = ? AND form_id = ? AND period_key = ?",
    );
    const exemption = "e.unit_code, e.period_key, e.reason, e.by_person, e.by_name, e.at";
    this.exemptionsOf = db.prepare<[string, string], ExemptionRow>(
      `SELECT ${exemption} FROM exemptions e WHERE e.unit_code = ? AND e.form_id = ? AND e.lifted_at IS NULL`,
    );
    this.exemptionOfKey = db.prepare<[string, string, string], ExemptionRow>(
      `SELECT ${exemption} FROM exemptions e WHERE e.unit_code = ? AND e.form_id = ? AND e.period_key = ? AND e.lifted_at IS NULL`,
    );
    this.childExemptions = db.prepare<[string, string, string, string], ExemptionRow>(
      `SELECT ${exemption} FROM (SELECT code FROM units WHERE parent_code = ? UNION ALL SELECT ?) u
         CROSS JOIN exemptions e ON e.unit_code = u.code AND e.form_id = ? AND e.period_key = ? AND e.lifted_at IS NULL`,
    );
    this.answersOf = db.prepare<[string, string, string], { field_id: string; value_json: string | null }>(
      "SELECT field_id, value_json FROM answers WHERE unit_code = ? AND form_id = ? AND period_key = ?",
    );
    this.allAnswersOf = db.prepare<[string, string], { period_key: string; field_id: string; value_json: string | null }>(
      "SELECT period_key, field_id, value_json FROM answers WHERE unit_code = ? AND form_id = ?",
    );
    // Rows as arrays: a change's contributions read a year or two of a unit's answers at once.
    this.answersIn = db
      .prepare<[string, string, string], [string, string, string | null]>(
        "SELECT period_key, field_id, value_json FROM answers WHERE unit_code = ? AND form_id = ? AND period_key IN (SELECT value FROM json_each(?))",
      )
      .raw(true);
    this.hasAnswers = db.prepare<[string, string, string], { n: number }>(
      "SELECT 1 AS n FROM answers WHERE unit_code = ? AND form_id = ? AND period_key = ? LIMIT 1",
    );
    this.answersAndStatus = db.prepare<[string, string, string, string, string, string], { started: number; status: Submission["status"] | null }>(
      `SELECT EXISTS (SELECT 1 FROM answers WHERE unit_code = ? AND form_id = ? AND period_key = ?) AS started,
         (SELECT status FROM submissions WHERE unit_code = ? AND form_id = ? AND period_key = ?) AS status`,
    );
    // Which of these periods have any answer: one look-up in the answers' key per period, no answer read.
    this.startedAmong = db
      .prepare<[string, string, string], [string]>(
        "SELECT j.value FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM answers a WHERE a.unit_code = ? AND a.form_id = ? AND a.period_key = j.value)",
      )
      .raw(true);
    this.getTally = db.prepare<[string, string, string, string], { tally_json: string }>(
      "SELECT tally_json FROM tallies WHERE unit_code = ? AND form_id = ? AND period_key = ? AND variant = ?",
    );
    this.putTally = db.prepare(
      `INSERT INTO tallies (unit_code, form_id, period_key, variant, tally_json) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (unit_code, form_id, period_key, variant) DO UPDATE SET tally_json = excluded.tally_json`,
    );
    this.dropTally = db.prepare("DELETE FROM tallies WHERE unit_code = ? AND form_id = ? AND period_key = ? AND variant = ?");
    this.parentOf = db.prepare<[string], { parent_code: string | null }>("SELECT parent_code FROM units WHERE code = ?");
    this.levelOf = db.prepare<[string], { level: UnitLevel }>("SELECT level FROM units WHERE code = ?");
    this.reach = db.prepare<[string, string], { n: number }>("SELECT n FROM unit_reach WHERE unit_code = ? AND level = ?");
    this.childUnits = db.prepare<[string], UnitRow>("SELECT * FROM units WHERE parent_code = ? ORDER BY code");
    // One period of a unit and its children (the units a commune's summary lists), walking the units first.
    const children = "SELECT code FROM units WHERE parent_code = ? UNION ALL SELECT ?";
    this.childAnswers = db.prepare<[string, string, string, string], { unit_code: string; field_id: string; value_json: string | null }>(
      `SELECT a.unit_code, a.field_id, a.value_json FROM (${children}) u CROSS JOIN answers a ON a.unit_code = u.code AND a.form_id = ? AND a.period_key = ?`,
    );
    this.childSubmissions = db.prepare<[string, string, string, string], { unit_code: string; status: Submission["status"]; version: number; completed_at: string | null }>(
      `SELECT s.unit_code, s.status, s.version, s.completed_at FROM (${children}) u CROSS JOIN submissions s ON s.unit_code = u.code AND s.form_id = ? AND s.period_key = ?`,
    );
    this.childReviews = db.prepare<[string, string, string, string], { unit_code: string; status: Review["status"]; reason: string | null; at: string }>(
      `SELECT r.unit_code, r.status, r.reason, r.at FROM (${children}) u CROSS JOIN reviews r ON r.unit_code = u.code AND r.form_id = ? AND r.period_key = ?`,
    );
    this.state = db.prepare<[string], { value: string }>("SELECT value FROM totals_state WHERE key = ?");
    this.setState = db.prepare("INSERT INTO totals_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  }

  tally(unit: string, form: string, period: string, variant: Variant): Tally | undefined {
    const row = this.getTally.get(unit, form, period, variant);
    return row ? (JSON.parse(row.tally_json) as Tally) : undefined;
  }

  /** Stores a tally, or removes it when nothing is left in it (a kept table then equals a rebuilt one row for row). */
  writeTally(unit: string, form: string, period: string, variant: Variant, t: Tally): void {
    const c = isCanonical(t) ? t : canonicalTally(t);
    if (isEmptyTally(c)) this.dropTally.run(unit, form, period, variant);
    else this.putTally.run(unit, form, period, variant, JSON.stringify(c));
  }

  /** The units above one, nearest first. A damaged tree with a cycle stops at the first unit seen twice. */
  ancestors(unit: string): string[] {
    const out: string[] = [];
    const seen = new Set([unit]);
    let cur = this.parentOf.get(unit)?.parent_code ?? null;
    while (cur && !seen.has(cur)) {
      out.push(cur);
      seen.add(cur);
      cur = this.parentOf.get(cur)?.parent_code ?? null;
    }
    return out;
  }
}

const worldOf = new WeakMap<DB, SqlWorld>();

/**
 * A form's report keys as periods, read through the stored rounds where needed, and the rounds that follow a
 * round (their comparison with it moves when it changes).
 */
export function storedPeriods(db: DB, form: FormDef): PeriodResolver {
  let world = worldOf.get(db);
  if (!world) worldOf.set(db, (world = new SqlWorld(db)));
  const w = world;
  return {
    period: (key) => periodOfKey(w, form, key),
    following: (p) => {
      const r = p.kind === "round" ? w.round(p.index) : undefined;
      if (!r) return [];
      const all = w.rounds(form.id, [r.unit]);
      return all.filter((x) => previousRound(all, x)?.id === r.id).map((x) => roundPeriod(x, r));
    },
  };
}

/** The tallies a set of one unit's reports can move, with that unit's contribution to each. */
interface Tracked {
  unit: string;
  form: FormDef;
  keys: Set<string>;
  slots: TallySlot[];
  facts: StoredFacts;
  before: Map<string, Tally>;
}

/**
 * A unit's reports on one form that a batch changes only in their answers, none of them submitted before (and so
 * none after): their figures count in no tally, and only whether each is begun can move a state (see track).
 */
interface AnswersOnly {
  unit: string;
  form: FormDef;
  /** Whether each report had any answer before the batch, by period key. */
  startedBefore: Map<string, boolean>;
  /** The reports some of whose answers the batch clears (only those can be emptied). */
  clearing: Set<string>;
}

/** What `track` hands to `commit`: the units whose contributions were computed, and the answer-only changes. */
export interface TrackedBatch {
  full: Tracked[];
  answersOnly: AnswersOnly[];
}

/** A report's id in the sets a batch is described by. */
export const reportId = (r: ReportKey): string => `${r.unit}|${r.form}|${r.period}`;

const allUnitsMemo = new WeakMap<readonly TallySlot[], TallySlot[]>();

/** The slots of the tallies of all units (variant `all`) among these, worked out once per list. */
function allUnitsSlots(slots: TallySlot[]): TallySlot[] {
  let got = allUnitsMemo.get(slots);
  if (!got) allUnitsMemo.set(slots, (got = slots.filter((s) => s.variant === "all")));
  return got;
}

/** Whether a slot's tally can hold the unit: always for all units; for a pair, only if both periods can be complete. */
function pairCanMove(form: FormDef, slot: TallySlot, done: (key: string) => boolean): boolean {
  if (slot.variant === "all") return true;
  const own = membersOf(form, slot.period)?.keys;
  const other = membersOf(form, pairedPeriod(slot.period, slot.variant.startsWith("prev") ? "prev" : "year"))?.keys;
  if (!own || !other) return true;
  return own.every(done) && other.every(done);
}

const keysMemo = new WeakMap<readonly TallySlot[], string[]>();

/** The form's period keys whose reports the contributions to these slots read (each slot's and its pair's members). */
function keysRead(form: FormDef, slots: readonly TallySlot[]): string[] {
  let keys = keysMemo.get(slots);
  if (!keys) {
    const out = new Set<string>();
    for (const s of slots) {
      for (const k of membersOf(form, s.period)?.keys ?? []) out.add(k);
      if (s.variant === "all") continue;
      for (const k of membersOf(form, pairedPeriod(s.period, s.variant.startsWith("prev") ? "prev" : "year"))?.keys ?? []) out.add(k);
    }
    keysMemo.set(slots, (keys = [...out]));
  }
  return keys;
}

/** Contributions of one reporting unit to some slots, from its facts as read. */
function contributionsOf(form: FormDef, facts: StoredFacts, slots: TallySlot[]): Map<string, Tally> {
  const standings = new StandingCache(form, facts);
  return new Map(slots.map((s) => [slotId(s), contribution(form, s.period, s.variant, standings)]));
}

/** A tally of one unit's state alone. */
const statesTally = (state: AreaState): Tally => ({ ...emptyTally(), states: statesOf(state) });

/** Adds `sign × delta` to one tally of every unit listed. */
export function applyDelta(q: TotalsQueries, units: string[], form: string, slot: TallySlot, delta: Tally, sign = 1): void {
  const key = periodKey(slot.period);
  for (const u of units) {
    const now = q.tally(u, form, key, slot.variant);
    q.writeTally(u, form, key, slot.variant, addTally(now ?? emptyTally(), delta, sign));
  }
}

/**
 * Keeps the tallies in step with the reports: `track` the reports a batch of effects will change before writing
 * them, `commit` after (both inside the batch's transaction).
 */
export class TotalsKeeper {
  private readonly q: TotalsQueries;
  private readonly forms: Map<string, FormDef>;

  /** The forms that take figures from each form (a six-month report from the monthly one). */
  private readonly takers = new Map<string, FormDef[]>();

  /** The taking forms' periods that hold a source form's period, by "form|period" (see dependents). */
  private readonly dependentKeys = new Map<string, Array<{ form: string; period: string }>>();

  constructor(db: DB, private readonly all: readonly FormDef[]) {
    this.q = totalsQueries(db);
    this.forms = new Map(all.map((f) => [f.id, f]));
    for (const f of all) {
      for (const source of new Set(takenFields(f).map((t) => t.from.form))) this.takers.set(source, [...(this.takers.get(source) ?? []), f]);
    }
  }

  /** The reports whose taken figures a change to this one moves: the same unit's reports of the forms taking from it. */
  private dependents(r: ReportKey): ReportKey[] {
    const takers = this.takers.get(r.form);
    const source = this.forms.get(r.form);
    if (!takers || !source) return [];
    // Which periods of the taking forms hold a source period follows from its key, except for rounds and
    // campaigns (read through the stored rounds): worked out once per key for the others.
    const memo = source.period.kind !== "round" && source.period.kind !== "campaign";
    let keys = memo ? this.dependentKeys.get(`${r.form}|${r.period}`) : undefined;
    if (!keys) {
      const period = storedPeriods(this.q.db, source).period(r.period);
      const { year, month } = period ? lastMonthOf(period) : { year: 0, month: 0 };
      keys = !period
        ? []
        : takers.flatMap((f) => {
            const kind = f.period.kind;
            if (!isCalendarKind(kind)) return [];
            const p = periodContainingMonth(kind, year, month);
            return memberKeys(source, p)?.includes(r.period) ? [{ form: f.id, period: periodKey(p) }] : [];
          });
      if (memo) this.dependentKeys.set(`${r.form}|${r.period}`, keys);
    }
    return keys.map((k) => ({ unit: r.unit, ...k }));
  }

  /**
   * A report that takes figures from a changed one moves only if it has answers of its own: a unit that has not
   * begun it has no figures in it, taken or asked (StoredFacts.answers), so its contributions cannot change.
   */
  private begun(r: ReportKey): boolean {
    return !!this.q.hasAnswers.get(r.unit, r.form, r.period);
  }

  /**
   * Each unit's contributions before the change, for the reports about to change. `completing`: the reports the
   * same batch submits. `answersOnly`: the reports the batch changes only in their answers (saved, cleared, or
   * begun), each with whether it clears any: those of a unit and form none of whose changed reports is stored as
   * submitted take the shortcut below, decided from the stored submission of each, and need no contribution.
   */
  track(changed: ReportKey[], completing: readonly ReportKey[] = [], answersOnly: ReadonlyMap<string, boolean> = new Map()): TrackedBatch {
    if (changed.length === 0) return { full: [], answersOnly: [] };
    const groups = new Map<string, ReportKey[]>();
    const seen = new Set<string>();
    for (const r of changed) {
      if (seen.has(reportId(r))) continue;
      seen.add(reportId(r));
      const id = `${r.unit}|${r.form}`;
      const g = groups.get(id);
      if (g) g.push(r);
      else groups.set(id, [r]);
    }
    const quick = new Map<string, { reports: ReportKey[]; entry: AnswersOnly }>();
    const full: ReportKey[] = [];
    for (const [id, reports] of groups) {
      const form = this.forms.get(reports[0]!.form);
      if (!form) continue;
      const startedBefore = this.startedIfAnswersOnly(reports, answersOnly);
      const clearing = new Set(reports.filter((r) => answersOnly.get(reportId(r))).map((r) => r.period));
      if (startedBefore) quick.set(id, { reports, entry: { unit: reports[0]!.unit, form, startedBefore, clearing } });
      else full.push(...reports);
    }
    // A report taking figures from a changed one is tracked in full, with the other changes of its unit and form.
    // An answer-only change moves no taken figure: they come from submitted reports only.
    const dependents = full.flatMap((r) => this.dependents(r)).filter((r) => this.begun(r));
    for (const d of dependents) {
      const id = `${d.unit}|${d.form}`;
      const q = quick.get(id);
      if (!q) continue;
      quick.delete(id);
      full.push(...q.reports);
    }
    return { full: this.trackFull([...full, ...dependents], completing), answersOnly: [...quick.values()].map((q) => q.entry) };
  }

  /**
   * Whether each report had any answer, when every one of them is changed only in its answers and none is stored
   * as submitted; undefined otherwise.
   */
  private startedIfAnswersOnly(reports: ReportKey[], answersOnly: ReadonlyMap<string, boolean>): Map<string, boolean> | undefined {
    const started = new Map<string, boolean>();
    for (const r of reports) {
      if (!answersOnly.has(reportId(r))) return undefined;
      const row = this.q.answersAndStatus.get(r.unit, r.form, r.period, r.unit, r.form, r.period);
      if (!row || row.status === "completed") return undefined;
      started.set(r.period, row.started === 1);
    }
    return started;
  }

  private trackFull(reports: ReportKey[], completing: readonly ReportKey[]): Tracked[] {
    if (reports.length === 0) return [];
    const submitted = new Set(completing.map(reportId));
    const byUnitForm = new Map<string, { unit: string; form: FormDef; keys: Set<string> }>();
    const levels = new Map<string, UnitLevel | undefined>();
    for (const r of reports) {
      const form = this.forms.get(r.form);
      if (!form) continue;
      if (!levels.has(r.unit)) levels.set(r.unit, this.q.levelOf.get(r.unit)?.level);
      const level = levels.get(r.unit);
      if (!level || !fills(form, level)) continue;
      const id = `${r.unit}|${r.form}`;
      const entry = byUnitForm.get(id) ?? { unit: r.unit, form, keys: new Set<string>() };
      entry.keys.add(r.period);
      byUnitForm.set(id, entry);
    }
    return [...byUnitForm.values()].map(({ unit, form, keys }) => {
      const facts = new StoredFacts(this.q, unit, form.id, { form, forms: this.all });
      const all = affectedSlotsOf(form, keys, storedPeriods(this.q.db, form));
      // A like-with-like pair counts a unit only when it is complete in both periods: a pair one of whose
      // reports is neither submitted before the batch nor submitted by it is empty before and after, and is
      // skipped. A report complete neither before nor after leaves every pair as it was (the common case).
      const done = (k: string) => submitted.has(`${unit}|${form.id}|${k}`) || facts.submission(k)?.status === "completed";
      const slots = [...keys].some(done) ? all.filter((slot) => pairCanMove(form, slot, done)) : allUnitsSlots(all);
      facts.prefetch(keysRead(form, slots));
      return { unit, form, keys, slots, facts, before: contributionsOf(form, facts, slots) };
    });
  }

  /** Adds each tracked unit's change (after − before) to the tallies above it. */
  commit(batch: TrackedBatch): void {
    for (const a of batch.answersOnly) this.commitAnswersOnly(a);
    for (const t of batch.full) {
      // Only the changed periods are read again: the unit's other months are as they were.
      t.facts.refresh(t.keys);
      const after = contributionsOf(t.form, t.facts, t.slots);
      let above: string[] | undefined;
      for (const slot of t.slots) {
        const id = slotId(slot);
        const delta = addTally(after.get(id)!, t.before.get(id)!, -1);
        if (isEmptyTally(delta)) continue;
        above ??= this.q.ancestors(t.unit);
        applyDelta(this.q, above, t.form.id, slot, delta);
      }
    }
  }

  /**
   * An answer-only change (see track): the reports are not submitted before nor after, so every figure, count of
   * complete units and like-with-like pair they are in stays empty of them, and their unit's contributions move
   * only in the states of the tallies of all units, only when one of the reports is begun or emptied. Those
   * states are worked out by the same rules as every contribution's, without reading any answer.
   */
  private commitAnswersOnly(a: AnswersOnly): void {
    const startedAfter = new Map<string, boolean>();
    let flipped = false;
    for (const [key, before] of a.startedBefore) {
      // Saving answers never removes one: a begun report that nothing is cleared of stays begun.
      const now = before && !a.clearing.has(key) ? true : !!this.q.hasAnswers.get(a.unit, a.form.id, key);
      startedAfter.set(key, now);
      if (now !== before) flipped = true;
    }
    if (!flipped) return;
    const level = this.q.levelOf.get(a.unit)?.level;
    if (!level || !fills(a.form, level)) return;
    const slots = allUnitsSlots(affectedSlotsOf(a.form, a.startedBefore.keys(), storedPeriods(this.q.db, a.form)));
    // Submissions, reviews and exemptions are the same before and after (an answer-only change writes at most
    // the row of a report begun, not submitted): read once.
    const facts = new StoredFacts(this.q, a.unit, a.form.id);
    const others = keysRead(a.form, slots).filter((k) => !a.startedBefore.has(k));
    const begunOthers = new Set(others.length > 0 ? this.q.startedAmong.all(JSON.stringify(others), a.unit, a.form.id).map((r) => r[0]) : []);
    const started = (mine: Map<string, boolean>) => (k: string) => mine.get(k) ?? begunOthers.has(k);
    let above: string[] | undefined;
    for (const slot of slots) {
      const was = stateOn(a.form, slot.period, facts, started(a.startedBefore));
      const now = stateOn(a.form, slot.period, facts, started(startedAfter));
      if (was === now || !was || !now) continue;
      const delta = addTally(statesTally(now), statesTally(was), -1);
      if (isEmptyTally(delta)) continue;
      above ??= this.q.ancestors(a.unit);
      applyDelta(this.q, above, a.form.id, slot, delta);
    }
  }
}

/** Reads the kept totals for summaries: a unit's tally, and how many units of a level lie under it. */
export class TotalsReader {
  private readonly q: TotalsQueries;
  constructor(db: DB) {
    this.q = totalsQueries(db);
  }

  tally(unit: string, form: string, period: string, variant: Variant): Tally | undefined {
    return this.q.tally(unit, form, period, variant);
  }

  /** Units of `level` strictly under `unit`. */
  reach(unit: string, level: UnitLevel): number {
    return this.q.reach.get(unit, level)?.n ?? 0;
  }
}
