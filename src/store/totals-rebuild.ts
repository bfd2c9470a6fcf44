// The kept totals made again from the answers (the CLI's `totals rebuild`, a moved unit, a first start on an
// older database), and the cheap check at start-up that they still agree with the answers: a few units'
// tallies recomputed from their reporting units, and the top units' tallies against the sum of their children's.
import type { DB } from "./db.js";
import type { FormDef } from "../core/forms/schema.js";
import { affectedSlotsOf, contribution, slotId, StandingCache, type TallySlot } from "../core/aggregate/contribution.js";
import { accumulate, addTally, emptyTally, isEmptyTally, sameTally, VARIANTS, type Tally, type Variant } from "../core/aggregate/tally.js";
import { fills } from "../core/open-reports.js";
import { periodKey } from "../core/periods.js";
import type { UnitLevel } from "../core/types.js";
import { storedPeriods, StoredFacts, totalsQueries } from "./totals.js";

interface TreeRow {
  code: string;
  level: UnitLevel;
  parent_code: string | null;
}

function tree(db: DB): { rows: TreeRow[]; ancestors: (code: string) => string[] } {
  const rows = db.prepare<[], TreeRow>("SELECT code, level, parent_code FROM units ORDER BY code").all();
  const parent = new Map(rows.map((r) => [r.code, r.parent_code]));
  const memo = new Map<string, string[]>();
  const ancestors = (code: string): string[] => {
    let got = memo.get(code);
    if (got) return got;
    got = [];
    const seen = new Set([code]);
    for (let cur = parent.get(code) ?? null; cur && !seen.has(cur); cur = parent.get(cur) ?? null) {
      got.push(cur);
      seen.add(cur);
    }
    memo.set(code, got);
    return got;
  };
  return { rows, ancestors };
}

/** Rewrites `unit_reach`: how many units of each level lie under every unit. */
export function rebuildReach(db: DB): void {
  const { rows, ancestors } = tree(db);
  const counts = new Map<string, number>();
  for (const r of rows) for (const a of ancestors(r.code)) counts.set(`${a}\u0000${r.level}`, (counts.get(`${a}\u0000${r.level}`) ?? 0) + 1);
  const put = db.prepare("INSERT INTO unit_reach (unit_code, level, n) VALUES (?, ?, ?)");
  db.transaction(() => {
    db.prepare("DELETE FROM unit_reach").run();
    for (const [k, n] of counts) {
      const [unit, level] = k.split("\u0000") as [string, string];
      put.run(unit, level, n);
    }
  })();
}

/** What a rebuild did. */
export interface RebuildResult {
  units: number;
  tallies: number;
  ms: number;
}

/**
 * Every tally made again from the stored reports, in one transaction. Reporting units are taken subtree by
 * subtree, so a unit's tallies are written (and forgotten) as soon as everything under it is counted: memory
 * holds one branch of the tree, not the country.
 */
export function rebuildTotals(db: DB, forms: readonly FormDef[]): RebuildResult {
  const t0 = performance.now();
  const q = totalsQueries(db);
  let units = 0;
  let tallies = 0;
  db.transaction(() => {
    rebuildReach(db);
    db.prepare("DELETE FROM tallies").run();
    const { rows, ancestors } = tree(db);
    for (const form of forms) {
      const periods = storedPeriods(db, form);
      // Depth-first order: the units of one subtree come one after another.
      const reporting = rows
        .filter((r) => fills(form, r.level))
        .map((r) => ({ code: r.code, above: ancestors(r.code), path: [...ancestors(r.code)].reverse().join("\u0000") }))
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.code < b.code ? -1 : 1));
      // Each reporting unit is added to its parent only; a unit, once everything under it is counted, is written
      // and added to its own parent — each contribution is added once, not once per level.
      const open = new Map<string, Map<string, { slot: TallySlot; tally: Tally }>>();
      const accOf = (unit: string) => {
        let acc = open.get(unit);
        if (!acc) open.set(unit, (acc = new Map()));
        return acc;
      };
      const addTo = (unit: string, slot: TallySlot, id: string, t: Tally) => {
        const acc = accOf(unit);
        let cur = acc.get(id);
        if (!cur) acc.set(id, (cur = { slot, tally: emptyTally() }));
        accumulate(cur.tally, t);
      };
      const flush = (unit: string) => {
        const parent = ancestors(unit)[0];
        for (const [id, { slot, tally }] of open.get(unit)!) {
          if (isEmptyTally(tally)) continue;
          q.writeTally(unit, form.id, periodKey(slot.period), slot.variant, tally);
          tallies += 1;
          if (parent) addTo(parent, slot, id, tally);
        }
        open.delete(unit);
      };
      // Deepest first, so that a unit's children are in it before it is written.
      const flushAll = (keep: Set<string>) => {
        // A unit written adds to its parent, which may then be done too: until nothing is left to write.
        for (;;) {
          const done = [...open.keys()].filter((u) => !keep.has(u));
          if (done.length === 0) return;
          flush(done.reduce((a, b) => (ancestors(b).length > ancestors(a).length ? b : a)));
        }
      };
      for (const r of reporting) {
        flushAll(new Set(r.above));
        const facts = new StoredFacts(q, r.code, form.id, { form, forms });
        const keys = facts.loadAll();
        if (keys.length === 0 || r.above.length === 0) continue;
        units += 1;
        const standings = new StandingCache(form, facts);
        for (const slot of affectedSlotsOf(form, keys, periods)) {
          const c = contribution(form, slot.period, slot.variant, standings);
          if (!isEmptyTally(c)) addTo(r.above[0]!, slot, slotId(slot), c);
        }
      }
      flushAll(new Set());
    }
    q.setState.run("built", new Date().toISOString());
    q.setState.run("stale", "");
  })();
  return { units, tallies, ms: performance.now() - t0 };
}

/** Marks the totals for a rebuild (a unit moved or changed level: its contributions sit under the old units). */
export function markTotalsStale(db: DB): void {
  totalsQueries(db).setState.run("stale", "1");
}

/** Whether the totals need a rebuild before they can be read: never built on this database, or a unit moved. */
export function totalsNeedRebuild(db: DB): boolean {
  const q = totalsQueries(db);
  return !q.state.get("built")?.value || !!q.state.get("stale")?.value;
}

/** A disagreement the check found: which unit's tally, stored and recomputed. */
export interface TotalsMismatch {
  unit: string;
  form: string;
  period: string;
  variant: Variant;
  stored?: Tally;
  expected: Tally;
}

/** How many units' tallies the start-up check recomputes from answers, per form. */
const SAMPLE_UNITS = 3;

export interface CheckOptions {
  /** How many parents of reporting units to recompute per form (3 by default), or every one. */
  sample?: number | "all";
  /** Chooses one of n (random by default; tests pass their own). */
  pick?: (n: number) => number;
}

/**
 * The cheap check: for each form, a few parents of reporting units (spread over the tree) have every tally
 * recomputed from their reporting units' answers; and each top unit's tallies of its latest periods must equal
 * the sum of its children's (one row per child). Returns what disagrees (empty when all is well).
 */
export function checkTotals(db: DB, forms: readonly FormDef[], opts: CheckOptions = {}): TotalsMismatch[] {
  const sampleSize = opts.sample ?? SAMPLE_UNITS;
  const pick = opts.pick ?? ((n: number) => Math.floor(Math.random() * n));
  const q = totalsQueries(db);
  const out: TotalsMismatch[] = [];
  const childrenOf = db.prepare<[string], { code: string; level: UnitLevel }>("SELECT code, level FROM units WHERE parent_code = ?");
  const storedOf = db.prepare<[string, string], { period_key: string; variant: Variant; tally_json: string }>(
    "SELECT period_key, variant, tally_json FROM tallies WHERE unit_code = ? AND form_id = ?",
  );
  for (const form of forms) {
    const periods = storedPeriods(db, form);
    const level = form.applies_to[0]!;
    // Parents whose children fill the form.
    const parents = db
      .prepare<[string], { code: string }>("SELECT DISTINCT parent_code AS code FROM units WHERE level = ? AND parent_code IS NOT NULL")
      .all(level)
      .map((r) => r.code);
    const sample = new Set<string>(sampleSize === "all" ? parents : []);
    for (let i = 0; sampleSize !== "all" && i < Math.min(sampleSize, parents.length); i++) sample.add(parents[pick(parents.length)]!);
    for (const parent of sample) {
      // Only a parent with no deeper reporting units is wholly made of its children.
      const children = childrenOf.all(parent);
      if (children.some((c) => !fills(form, c.level) && (q.reach.get(c.code, level)?.n ?? 0) > 0)) continue;
      const expected = new Map<string, { period: string; variant: Variant; tally: Tally }>();
      for (const c of children.filter((x) => fills(form, x.level))) {
        const facts = new StoredFacts(q, c.code, form.id, { form, forms });
        const keys = facts.loadAll();
        if (keys.length === 0) continue;
        const standings = new StandingCache(form, facts);
        for (const slot of affectedSlotsOf(form, keys, periods)) {
          const t = contribution(form, slot.period, slot.variant, standings);
          if (isEmptyTally(t)) continue;
          const id = slotId(slot);
          const cur = expected.get(id);
          expected.set(id, { period: periodKey(slot.period), variant: slot.variant, tally: addTally(cur?.tally ?? emptyTally(), t) });
        }
      }
      const stored = new Map(storedOf.all(parent, form.id).map((r) => [`${r.period_key}|${r.variant}`, JSON.parse(r.tally_json) as Tally]));
      for (const [id, e] of expected) {
        const s = stored.get(id);
        if (!s || !sameTally(s, e.tally)) out.push({ unit: parent, form: form.id, period: e.period, variant: e.variant, stored: s, expected: e.tally });
        stored.delete(id);
      }
      for (const [id, s] of stored) {
        const [period, variant] = id.split("|") as [string, Variant];
        out.push({ unit: parent, form: form.id, period, variant, stored: s, expected: emptyTally() });
      }
    }
    // The tops: each one's latest periods against the sum of its children's tallies.
    const tops = db.prepare<[], { code: string }>("SELECT code FROM units WHERE parent_code IS NULL").all().map((r) => r.code);
    const latest = db.prepare<[string, string], { period_key: string }>(
      "SELECT DISTINCT period_key FROM tallies WHERE unit_code = ? AND form_id = ? ORDER BY period_key DESC LIMIT 3",
    );
    for (const top of tops) {
      const children = childrenOf.all(top);
      for (const { period_key } of latest.all(top, form.id)) {
        const period = periods.period(period_key);
        if (!period) continue;
        for (const variant of VARIANTS) {
          let sum = emptyTally();
          for (const c of children) {
            const own = fills(form, c.level) ? contribution(form, period, variant, new StandingCache(form, new StoredFacts(q, c.code, form.id, { form, forms }))) : q.tally(c.code, form.id, period_key, variant);
            if (own) sum = addTally(sum, own);
          }
          const s = q.tally(top, form.id, period_key, variant);
          if (!sameTally(s ?? emptyTally(), sum)) out.push({ unit: top, form: form.id, period: period_key, variant, stored: s, expected: sum });
        }
      }
    }
  }
  return out;
}
