// Seeds a unit tree with a year of monthly reports straight into SQLite, as fast as SQLite allows: the schema
// comes from the bot's own migrations, then one transaction of prepared statements inserts every table in
// key order (the answers of one area and month in one statement through json_each), with the journal and
// fsync off and the period indexes built once at the end. This file is a benchmark's input, thrown away after
// the run: nothing here is how the bot writes.
//
// What the year looks like (every area has one leader, every commune and unit above a linked group):
//   - December of last year to the open month (November 2026, deadline 16/11, seeded on 10/11);
//   - past months: 94 % of the areas submitted, 3 % stopped part-way, 3 % never started; half of the
//     submitted reports accepted, 2 % returned with a reason;
//   - the open month: 65 % submitted, 15 % in progress (some sections answered), 20 % not started; 10 %
//     accepted, 3 % returned;
//   - yearly targets for the root, every province or district, and every tenth commune.
import { statSync } from "node:fs";
import Database from "better-sqlite3";
import type { FormDef } from "../../src/core/forms/schema.js";
import { parsePeriodKey, periodKey, previousPeriod, type Period } from "../../src/core/periods.js";
import type { AnswerMap } from "../../src/core/types.js";
import { openDatabase } from "../../src/store/db.js";
import { rebuildTotals } from "../../src/store/totals-rebuild.js";
import { loadPrompts } from "../../src/config/load-prompts.js";
import { DEFAULT_PROMPTS } from "../../src/paths.js";
import { AnswerGenerator } from "./answers.js";
import { defaultFormDef } from "./noise.js";
import { type Tree } from "./trees.js";
import { mulberry32 } from "../../test/support/seeded-random.js";
import { BENCH_START, PERIOD_KEY } from "./world.js";

/** A leader who can complete the open month's form in the measures: their area has not started it. */
export interface Completer {
  area: string;
  commune: string;
  chatId: string;
  userId: string;
  name: string;
}

/** What the measuring process needs to know about a seeded database. */
export interface SeedManifest {
  tree: Tree["name"];
  size: Tree["size"];
  areas: number;
  communes: number;
  root: string;
  rootName: string;
  /** The root's group, and the officer who asks there. */
  rootChat: string;
  officer: { id: string; name: string };
  /** The open period the measures ask about. */
  period: string;
  /** Communes spread across the tree, for the commune draft. */
  sampleCommunes: string[];
  completers: Completer[];
  rows: Record<string, number>;
  seconds: number;
  /** Of which the kept totals' rebuild from the answers. */
  totalsSeconds: number;
  bytes: number;
}

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Quốc", "Thị Kim", "Văn Tấn"];
const GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Tư", "Vân", "Xuân", "Yến"];
const personName = (i: number) => `${FAMILY[i % FAMILY.length]} ${MIDDLE[(i >> 4) % MIDDLE.length]} ${GIVEN[(i * 7 + (i >> 3)) % GIVEN.length]}`;

const RETURN_REASONS = [
  "Số liệu hòa giải chưa khớp với sổ theo dõi",
  "Đề nghị bổ sung số hộ được giúp đỡ",
  "Số tiền vận động chưa đúng với biên bản",
];

/** Where the seeder leaves the leaders the measures complete a form for: this many, spread across the tree. */
const COMPLETERS = 12;
const SAMPLE_COMMUNES = 20;

const telegramGroup = (n: number) => String(-1_001_000_000_000 - n);
const userIdOf = { reporter: (area: number) => String(1_000_000 + area), staff: (commune: number) => String(2_000_000 + commune), officer: (n: number) => String(3_000_000 + n) };

const isoCache = new Map<number, string>();
/** A local time (Asia/Ho_Chi_Minh) on a day of a month as SQLite stores instants: ISO in UTC. Cached: a
 * million reports share a few thousand distinct minutes. */
function localIso(year: number, month: number, day: number, minutes: number): string {
  const ms = Date.UTC(year, month - 1, day, 0, minutes) - 7 * 3_600_000;
  let iso = isoCache.get(ms);
  if (iso === undefined) isoCache.set(ms, (iso = new Date(ms).toISOString()));
  return iso;
}

/** The answers as the JSON object json_each reads: field → value_json text (or null), in field order. */
function answersJson(fields: readonly string[], values: AnswerMap): string {
  let out = "{";
  for (const f of fields) {
    const v = values[f];
    if (v === undefined) continue;
    const text = v === null ? "null" : typeof v === "string" ? JSON.stringify(JSON.stringify(v)) : `"${v}"`;
    out += `${out.length > 1 ? "," : ""}"${f}":${text}`;
  }
  return `${out}}`;
}

/** The open month and the eleven before it, oldest first. */
export function seededPeriods(): Period[] {
  const out = [parsePeriodKey(PERIOD_KEY)!];
  while (out.length < 12) out.unshift(previousPeriod(out[0]!));
  return out;
}

/** Indices spread evenly over `n` items, at most `count` of them. */
function spread(n: number, count: number): number[] {
  const k = Math.min(n, count);
  return Array.from({ length: k }, (_, i) => Math.floor(((i + 0.5) * n) / k));
}

/** The first figures of the form worth a yearly target: counts and money that are not parts of another figure. */
function targetFields(form: FormDef): string[] {
  const parts = new Set(form.sections.flatMap((s) => s.rules.flatMap((r) => (r.type === "not_greater" ? r.left : []))));
  return form.sections
    .flatMap((s) => s.fields)
    .filter((f) => (f.kind === "count" || f.kind === "money") && !parts.has(f.id) && !f.when)
    .slice(0, 4)
    .map((f) => f.id);
}

/** A target a committee would set: about 10 % over last year's pace, rounded to two significant figures. */
function roundTarget(x: number): number {
  const v = x * 1.1;
  if (v < 100) return Math.max(1, Math.ceil(v));
  const unit = 10 ** (Math.floor(Math.log10(v)) - 1);
  return Math.ceil(v / unit) * unit;
}

/**
 * Writes `tree` and its year of reports into a new database at `path` and returns the manifest. The file is
 * the bot's schema exactly (same migrations, same indexes); the bot's own open turns WAL back on. The leaders
 * the measures complete a form for (`completers`) have submitted `scripted` every past month — what the
 * measures will type again — so their answers read without a "ten times last month?" question.
 */
export function seedTree(tree: Tree, path: string, scripted: AnswerMap): SeedManifest {
  const started = performance.now();
  let totalsSeconds = 0;
  openDatabase(path).close(); // the schema, through the bot's own migrations
  const db = new Database(path);
  const form = defaultFormDef();
  const generate = new AnswerGenerator(form);
  // The answers table's key order within one area and month.
  const fieldOrder = form.sections.flatMap((sec) => sec.fields.map((f) => f.id)).sort();
  const periods = seededPeriods();
  const openKey = PERIOD_KEY;
  const openPeriod = periods.at(-1)!;
  const seededAt = new Date(BENCH_START).toISOString();
  const rows: Record<string, number> = {};
  const count = (table: string, n = 1) => (rows[table] = (rows[table] ?? 0) + n);
  const units = new Map(tree.units.map((u) => [u.code, u]));
  const communeIndex = new Map(tree.communes.map((c, i) => [c, i]));
  const upper = [tree.root.code, ...tree.provinces, ...tree.districts];
  const chatOf = new Map<string, string>([
    ...tree.communes.map((c, i) => [c, telegramGroup(i)] as const),
    ...upper.map((u, i) => [u, telegramGroup(500_000 + i)] as const),
  ]);
  const officerOf = new Map(upper.map((u, i) => [u, { id: userIdOf.officer(i + 1), name: personName(900_000 + i) }]));
  const completerIndices = spread(tree.areas.length, COMPLETERS);
  const completerAreas = new Set(completerIndices.map((i) => tree.areas[i]!));
  const withTargets = new Set([...upper, ...tree.communes.filter((_, i) => i % 10 === 0)]);
  const targeted = targetFields(form);
  // Period keys sort as text ("2026-M10" before "2026-M2"): rows go in that order, the tables' key order.
  const keyed = periods.map((p) => ({ p, key: periodKey(p) })).sort((a, b) => (a.key < b.key ? -1 : 1));
  // Year-to-date sums of the targeted figures per unit with a target, from the areas' submitted months.
  const yearSums = new Map<string, Record<string, number>>();
  const ancestorsWithTargets = (area: string): string[] => {
    const out: string[] = [];
    for (let u = units.get(units.get(area)!.parentCode!); u; u = u.parentCode ? units.get(u.parentCode) : undefined) {
      if (withTargets.has(u.code)) out.push(u.code);
    }
    return out;
  };
  try {
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("temp_store = MEMORY");
    db.pragma("cache_size = -262144");
    db.pragma("foreign_keys = OFF");
    // Secondary indexes of the big tables are built once at the end (faster than keeping them up to date).
    const indexes = db
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('answers', 'submissions', 'reviews')",
      )
      .all();
    for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);

    const q = {
      unit: db.prepare("INSERT INTO units (code, name, level, parent_code) VALUES (?, ?, ?, ?)"),
      person: db.prepare("INSERT INTO people (platform, user_id, display_name, updated_at) VALUES ('telegram', ?, ?, ?)"),
      role: db.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at, granted_by) VALUES ('telegram', ?, ?, ?, ?, 'bench')"),
      chat: db.prepare("INSERT INTO chats (platform, chat_id, unit_code, title, linked_by, linked_at) VALUES ('telegram', ?, ?, ?, 'bench', ?)"),
      answers: db.prepare(
        "INSERT INTO answers (unit_code, form_id, period_key, field_id, value_json, updated_by, updated_at) SELECT ?, ?, ?, key, value, ?, ? FROM json_each(?)",
      ),
      submission: db.prepare(
        "INSERT INTO submissions (unit_code, form_id, period_key, status, started_at, completed_at, completed_by, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
      ),
      review: db.prepare("INSERT INTO reviews (unit_code, form_id, period_key, status, reason, by_person, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
      target: db.prepare("INSERT INTO targets (unit_code, form_id, year, field_id, value, set_by, set_at) VALUES (?, ?, ?, ?, ?, 'bench', ?)"),
    };

    db.transaction(() => {
      for (const u of tree.units) q.unit.run(u.code, u.name, u.level, u.parentCode);
      count("units", tree.units.length);
      // People in user-id order: officers, staff, then the leaders.
      const people: Array<[string, string, string, string]> = [
        ...upper.map((u) => [officerOf.get(u)!.id, officerOf.get(u)!.name, "officer", u] as [string, string, string, string]),
        ...tree.communes.map((c, i) => [userIdOf.staff(i), personName(500_000 + i), "commune_staff", c] as [string, string, string, string]),
        ...tree.areas.map((a, i) => [userIdOf.reporter(i), personName(i), "reporter", a] as [string, string, string, string]),
      ].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      for (const [id, name, role, unit] of people) {
        q.person.run(id, name, seededAt);
        q.role.run(id, role, unit, seededAt);
      }
      count("people", people.length);
      count("roles", people.length);
      for (const [unit, chatId] of chatOf) q.chat.run(chatId, unit, `MTTQ ${units.get(unit)!.name}`, seededAt);
      count("chats", chatOf.size);

      for (const [i, area] of tree.areas.entries()) {
        const random = mulberry32(0x9e3779b1 ^ (i * 2654435761));
        const scale = 0.5 + random() * 1.5;
        const by = `telegram:${userIdOf.reporter(i)}`;
        const commune = units.get(area)!.parentCode!;
        const reviewer = `telegram:${userIdOf.staff(communeIndex.get(commune)!)}`;
        const reviewerName = personName(500_000 + communeIndex.get(commune)!);
        const sums: Record<string, number> = {};
        for (const { p, key } of keyed) {
          const open = key === openKey;
          const r = random();
          const completer = completerAreas.has(area);
          const state = completer
            ? open ? "none" : "completed"
            : open
              ? r < 0.65 ? "completed" : r < 0.8 ? "in_progress" : "none"
              : r < 0.94 ? "completed" : r < 0.97 ? "in_progress" : "none";
          if (state === "none") continue;
          const values = completer
            ? scripted
            : state === "completed"
              ? generate.month(scale, random)
              : generate.month(scale, random, 1 + Math.floor(random() * (form.sections.length - 1)));
          const day = open ? 1 + Math.floor(random() * 9) : 5 + Math.floor(random() * 11);
          const at = localIso(p.year, p.index, day, 7 * 60 + Math.floor(random() * 13 * 60));
          const startedAt = localIso(p.year, p.index, Math.max(1, day - Math.floor(random() * 3)), 7 * 60);
          q.answers.run(area, form.id, key, by, at, answersJson(fieldOrder, values));
          count("answers", Object.keys(values).length);
          q.submission.run(area, form.id, key, state, startedAt, state === "completed" ? at : null, state === "completed" ? by : null);
          count("submissions");
          if (state !== "completed") continue;
          if (p.year === openPeriod.year) for (const f of targeted) sums[f] = (sums[f] ?? 0) + (typeof values[f] === "number" ? (values[f] as number) : 0);
          const review = random();
          const accepted = review < (open ? 0.1 : 0.5);
          const returned = !accepted && review < (open ? 0.13 : 0.52);
          if (accepted || returned) {
            const reviewedAt = new Date(Date.parse(at) + (open ? 3_600_000 : 86_400_000)).toISOString();
            q.review.run(area, form.id, key, accepted ? "accepted" : "returned", returned ? RETURN_REASONS[i % RETURN_REASONS.length]! : null, reviewer, reviewerName, reviewedAt);
            count("reviews");
          }
        }
        for (const unit of ancestorsWithTargets(area)) {
          const s = yearSums.get(unit) ?? {};
          for (const f of targeted) s[f] = (s[f] ?? 0) + (sums[f] ?? 0);
          yearSums.set(unit, s);
        }
      }
      const targetRows = [...yearSums].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      for (const [unit, sums] of targetRows) {
        // The months so far, brought to a whole year.
        const months = keyed.filter(({ p }) => p.year === openPeriod.year).length;
        for (const f of [...targeted].sort()) q.target.run(unit, form.id, openPeriod.year, f, roundTarget(((sums[f] ?? 0) * 12) / months), seededAt);
        count("targets", targeted.length);
      }
    })();
    for (const i of indexes) db.exec(i.sql);
    // The kept totals, made from the seeded answers by the same rebuild as the CLI's `totals rebuild`.
    totalsSeconds = rebuildTotals(db, loadPrompts(DEFAULT_PROMPTS).forms).ms / 1000;
  } finally {
    db.close();
  }

  const root = tree.root.code;
  return {
    tree: tree.name,
    size: tree.size,
    areas: tree.areas.length,
    communes: tree.communes.length,
    root,
    rootName: tree.root.name,
    rootChat: chatOf.get(root)!,
    officer: officerOf.get(root)!,
    period: openKey,
    sampleCommunes: spread(tree.communes.length, SAMPLE_COMMUNES).map((i) => tree.communes[i]!),
    completers: completerIndices.map((i) => {
      const area = tree.areas[i]!;
      const commune = units.get(area)!.parentCode!;
      return { area, commune, chatId: chatOf.get(commune)!, userId: userIdOf.reporter(i), name: personName(i) };
    }),
    rows,
    seconds: (performance.now() - started) / 1000,
    totalsSeconds,
    bytes: statSync(path).size,
  };
}
