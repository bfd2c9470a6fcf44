// The picture a commune's staff or a district officer asks for: which units have submitted, how far the
// others are, and the totals over the submitted ones, with the previous period, the same period last year
// and the yearly targets beside them. Pure: the store hands in plain lookups.
//
// The figures come from tallies (tally.ts): the store keeps one per unit above the reporting units, moved by
// every change, so a province or the whole country is a handful of rows. The reporting units are listed one by
// one only where they are the root's own children (a commune's areas, a district's communes for a form
// communes fill): there each one's standing and figures are read, as a draft's appendix needs them; above, the
// root's children are the columns, each with its tally and its counts, and no list of names grows with the tree.
//
// Two rules keep the picture honest. A period made of several of the form's periods (a quarter of a monthly
// form) is complete for a unit only when every month is in; its totals add up the months that are in, and
// `members` says, month by month, how many units that is. A comparison with another period is taken only
// over the units complete in both (like with like), and says when that is not every unit counted.
//
// An exempt unit (excused by staff with a reason) is not expected: it is left out of every count's "of", is
// never missing, and is named with its reason where units are listed (counted above). An exempt unit that
// submits anyway counts like any other: its figures are there, so the exemption has nothing left to excuse.
import type { Exemption } from "../exemption.js";
import type { FormDef } from "../forms/schema.js";
import { memberKeys, memberPeriods } from "../forms/form-periods.js";
import { periodKey, previousPeriod, samePeriodLastYear, type Period } from "../periods.js";
import type { AnswerMap, Submission, Unit } from "../types.js";
import { contribution, standing, StandingCache, type AreaState, type ReportFacts, type Review, type Standing } from "./contribution.js";
import { addTally, emptyTally, totalsOfTally, type Tally, type Variant } from "./tally.js";
import { totalOf, type Totals } from "./totals.js";

export type { AreaState, Review } from "./contribution.js";
export { exemptReason } from "./contribution.js";

export interface AreaStatus extends Standing {
  unit: Unit;
  /** The column unit this area counts under (itself for a commune's summary, its commune above). */
  group: Unit;
}

/** How many units have submitted one of the form's periods inside the requested one. */
export interface MemberCompleteness {
  period: Period;
  submitted: number;
  /** Units expected to submit this period: every unit but the exempt ones. */
  total: number;
  /** The units still missing, when they are listed one by one (empty above a commune: see the columns). */
  missing: Unit[];
  /** Units excused from this period (and that did not submit it anyway), when listed. */
  exempt: Unit[];
}

/** The requested period set against another, over the units complete in both. */
export interface Comparison {
  period: Period;
  /** The other period's totals over the base. */
  totals: Totals;
  /** This period's totals over the base (the same as the summary's totals when `whole`). */
  current: Totals;
  /** How many units are compared: complete in both periods. */
  n: number;
  /** Those units, when the reporting units are listed one by one (empty above a commune). */
  base: Unit[];
  /** The base is every unit counted in this period and in the other: the comparison needs no note. */
  whole: boolean;
}

/** How many reporting units are in each state, over the whole root. */
export interface SummaryCounts {
  /** Reporting units under (or at) the root expected to submit: every one but the exempt ones. */
  expected: number;
  /** Excused from the whole period. */
  exempt: number;
  /** Submitted the whole period (accepted ones included). */
  submitted: number;
  accepted: number;
  returned: number;
  inProgress: number;
  notStarted: number;
  /** Submitted something of the period: their figures are in the totals. */
  contributing: number;
  /** For a longer period, the monthly reports in the totals (the sum of `members[].submitted`). */
  reports: number;
}

/** A unit of the tree below the root with how many reporting units it holds (a column above a commune). */
export interface ChildUnit {
  unit: Unit;
  /** Reporting units at or under it. */
  expected: number;
}

export interface SummaryData {
  form: FormDef;
  root: Unit;
  period: Period;
  /**
   * The reporting units listed one by one — the root itself when it fills the form, or its children that do (a
   * commune's areas) — with the unit each is shown under. Empty when they lie deeper (then `children`).
   */
  areas: Array<{ unit: Unit; group: Unit }>;
  answers(unit: string, periodKey: string): AnswerMap | undefined;
  submission(unit: string, periodKey: string): Submission | undefined;
  review(unit: string, periodKey: string): Review | undefined;
  /** The exemption in force for a unit and one of the form's periods (none when absent). */
  exemption?(unit: string, periodKey: string): Exemption | undefined;
  /**
   * The stored tally of a unit above the reporting units. Without it (or for the root that fills the form
   * itself), the root's tallies are added up from `areas`, as a rebuild does.
   */
  tally?(unit: string, period: Period, variant: Variant): Tally | undefined;
  /** When the reporting units are not listed: the root's children that hold some, each one a column. */
  children?: ChildUnit[];
  /** Reporting units under the root, when not listed. */
  expected?: number;
  /** Yearly targets of the root unit, by field. */
  targets: Record<string, number>;
}

export interface Column {
  unit: Unit;
  totals: Totals;
  /** Submitted the whole period (accepted included). */
  submitted: number;
  /** Expected to submit: exempt units left out. */
  total: number;
  /** Excused from the whole period. */
  exempt: number;
  /** Units whose figures are in this column's totals. */
  counted: number;
}

export interface Summary {
  form: FormDef;
  root: Unit;
  period: Period;
  /** The reporting units are listed one by one in `areas` (a commune's areas); false above, where `columns` count them. */
  listed: boolean;
  counts: SummaryCounts;
  /** The listed units (empty when not listed). */
  areas: AreaStatus[];
  /** Listed units that have submitted the whole period. */
  submitted: AreaStatus[];
  /** Listed units expected but not (fully) submitted: never an exempt one. */
  missing: AreaStatus[];
  /** Listed units excused from the whole period (state "exempt"). */
  exempt: AreaStatus[];
  /** How many units are expected to submit: every unit but the exempt ones (`counts.expected`). */
  expected: number;
  /** Listed units whose figures are in the totals (for a multi-month period, some of its months may be missing). */
  contributing: AreaStatus[];
  /** One entry per form period inside the requested one: a single entry for a period of the form's own kind. */
  members: MemberCompleteness[];
  /** Column units (areas, communes or provinces) with their totals over the submitted units. */
  columns: Column[];
  totals: Totals;
  previous?: Comparison;
  lastYear?: Comparison;
  /** Periods that had figures but no unit complete in both: nothing could be compared with them. */
  incomparable: Period[];
  /** Year-to-date against the yearly target, for fields that have one. */
  targets: Array<{ field: string; target: number; achieved: number }>;
}

function factsOf(data: SummaryData, unit: string): ReportFacts {
  return {
    answers: (k) => data.answers(unit, k),
    submission: (k) => data.submission(unit, k),
    review: (k) => data.review(unit, k),
    exemption: (k) => data.exemption?.(unit, k),
  };
}

function isIn(s: AreaStatus): boolean {
  return s.state === "submitted" || s.state === "accepted";
}

const figuresOf = (list: AreaStatus[]) => list.map((s) => ({ unit: s.unit, values: s.values }));

/** The root's tallies: stored ones, or added up from the listed units (the same arithmetic as a rebuild). */
function tallySource(data: SummaryData): (period: Period, variant: Variant) => Tally {
  const rootFills = data.areas.some((a) => a.unit.code === data.root.code);
  if (data.tally && !rootFills) return (p, v) => data.tally!(data.root.code, p, v) ?? emptyTally();
  const caches = data.areas.map((a) => new StandingCache(data.form, factsOf(data, a.unit.code)));
  return (p, v) => caches.reduce((t, c) => addTally(t, contribution(data.form, p, v, c)), emptyTally());
}

/** The counts of a tally's `all` variant against the expected units. */
function countsOf(t: Tally, expected: number, reports: number): SummaryCounts {
  const st = t.states;
  const accepted = st.accepted ?? 0;
  const submitted = (st.submitted ?? 0) + accepted;
  const returned = st.returned ?? 0;
  const inProgress = st.in_progress ?? 0;
  const exempt = st.exempt ?? 0;
  return {
    expected: expected - exempt,
    exempt,
    submitted,
    accepted,
    returned,
    inProgress,
    notStarted: Math.max(0, expected - exempt - submitted - returned - inProgress),
    contributing: t.units,
    reports,
  };
}

function countsOfStatuses(statuses: AreaStatus[], reports: number): SummaryCounts {
  const n = (state: AreaState) => statuses.filter((s) => s.state === state).length;
  return {
    expected: statuses.length - n("exempt"),
    exempt: n("exempt"),
    submitted: n("submitted") + n("accepted"),
    accepted: n("accepted"),
    returned: n("returned"),
    inProgress: n("in_progress"),
    notStarted: n("not_started"),
    contributing: statuses.filter((s) => s.contributes).length,
    reports,
  };
}

export function summarize(data: SummaryData): Summary | undefined {
  const { form, root, period } = data;
  const periods = memberPeriods(form, period);
  const keys = memberKeys(form, period);
  if (!periods || !keys) return undefined;
  const tally = tallySource(data);
  const listed = data.areas.length > 0 || !data.children;

  const statuses: AreaStatus[] = data.areas.map(({ unit, group }) => ({ unit, group, ...standing(form, period, factsOf(data, unit.code))! }));
  const expected = listed ? statuses.length : (data.expected ?? 0);
  // Listed units are counted from their standings (the names and the numbers cannot disagree); above, from the tallies.
  const members = periods.map((p, i): MemberCompleteness => {
    if (!listed) {
      const t = tally(p, "all");
      return { period: p, submitted: t.complete, total: expected - (t.states.exempt ?? 0), missing: [], exempt: [] };
    }
    const key = keys[i]!;
    const done = (s: AreaStatus) => data.submission(s.unit.code, key)?.status === "completed";
    const exempt = statuses.filter((s) => !done(s) && s.exemptions.some((e) => e.period === key)).map((s) => s.unit);
    const missing = statuses.filter((s) => !done(s) && !exempt.includes(s.unit)).map((s) => s.unit);
    return { period: p, submitted: expected - exempt.length - missing.length, total: expected - exempt.length, missing, exempt };
  });
  const all = tally(period, "all");
  const reports = members.reduce((n, m) => n + m.submitted, 0);
  const counts = listed ? countsOfStatuses(statuses, reports) : countsOf(all, expected, reports);
  const totals = listed ? totalOf(form, figuresOf(statuses.filter((s) => s.contributes))) : totalsOfTally(form, all);

  let columns: Column[];
  if (listed) {
    const groups = new Map<string, { unit: Unit; members: AreaStatus[] }>();
    for (const s of statuses) {
      const g = groups.get(s.group.code) ?? { unit: s.group, members: [] };
      g.members.push(s);
      groups.set(s.group.code, g);
    }
    columns = [...groups.values()].map((g) => {
      const inG = g.members.filter((s) => s.contributes);
      const exempt = g.members.filter((s) => s.state === "exempt").length;
      return { unit: g.unit, totals: totalOf(form, figuresOf(inG)), submitted: g.members.filter(isIn).length, total: g.members.length - exempt, exempt, counted: inG.length };
    });
  } else {
    columns = (data.children ?? []).map((c) => {
      const t = data.tally?.(c.unit.code, period, "all") ?? emptyTally();
      const n = countsOf(t, c.expected, 0);
      // A board reads only the counts of a hundred columns: each one's totals are worked out when first read.
      let totals: Totals | undefined;
      return {
        unit: c.unit,
        get totals() {
          return (totals ??= totalsOfTally(form, t));
        },
        submitted: n.submitted,
        total: n.expected,
        exempt: n.exempt,
        counted: t.units,
      };
    });
  }

  const incomparable: Period[] = [];
  const comparison = (other: Period, variant: "prev" | "year"): Comparison | undefined => {
    const otherAll = tally(other, "all");
    if (otherAll.units === 0) return undefined;
    const cur = tally(period, `${variant}_cur`);
    if (cur.units === 0) {
      incomparable.push(other);
      return undefined;
    }
    let base: Unit[] = [];
    if (listed) {
      const otherKeys = memberKeys(form, other) ?? [];
      base = statuses.filter((s) => s.complete && otherKeys.every((k) => data.submission(s.unit.code, k)?.status === "completed")).map((s) => s.unit);
    }
    return {
      period: other,
      totals: totalsOfTally(form, tally(period, `${variant}_old`)),
      current: totalsOfTally(form, cur),
      n: cur.units,
      base,
      whole: cur.units === all.units && cur.units === otherAll.units,
    };
  };
  const previous = comparison(previousPeriod(period), "prev");
  const lastYear = comparison(samePeriodLastYear(period), "year");

  // Year to date: every period of the form from the start of the year to the end of this one. Targets are
  // counts and money, so the year's figure is the sum of its periods' sums.
  const targets: Summary["targets"] = [];
  if (Object.keys(data.targets).length > 0) {
    const yearPeriods = memberPeriods(form, { kind: "year", year: period.year, index: 1 }) ?? [];
    const lastKey = keys.at(-1);
    const upto = yearPeriods.slice(0, lastKey ? yearPeriods.findIndex((p) => periodKey(p) === lastKey) + 1 : 0);
    const sums = upto.reduce((t, p) => addTally(t, tally(p, "all")), emptyTally()).sums;
    for (const [field, target] of Object.entries(data.targets)) targets.push({ field, target, achieved: sums[field] ?? 0 });
  }

  const submitted = statuses.filter(isIn);
  return {
    form,
    root,
    period,
    listed,
    counts,
    areas: statuses,
    submitted,
    missing: statuses.filter((s) => !isIn(s) && s.state !== "exempt"),
    exempt: statuses.filter((s) => s.state === "exempt"),
    expected: counts.expected,
    contributing: statuses.filter((s) => s.contributes),
    members,
    columns,
    totals,
    previous,
    lastYear,
    incomparable,
    targets,
  };
}
