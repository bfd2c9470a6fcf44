// SQL lives only in src/store: everything else reaches the database through the store's narrow interfaces.
// This test reads every source file outside src/store and fails on anything that talks to SQLite directly —
// statements (.prepare, .exec with SQL, .pragma, .transaction), the driver itself, or a string that is SQL.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";

const SRC = join(ROOT, "src");
const STORE = join(SRC, "store");

/** String or template literals that open with a SQL statement (SELECT in capitals: "select a unit from…" is English). */
const SQL_LITERALS = [
  /["'`]\s*(?:SELECT\s[\s\S]*?\sFROM\s|WITH\s+\w+\s+AS\s*\(|PRAGMA\s)/,
  /["'`]\s*(?:insert\s+(?:or\s+\w+\s+)?into\s|replace\s+into\s|update\s+\w+\s+set\s|delete\s+from\s|create\s+(?:table|index|trigger|view)\s)/i,
  /["'`]\s*(?:BEGIN(?:\s+IMMEDIATE|\s+EXCLUSIVE)?|COMMIT|ROLLBACK)\s*["'`;]/,
];
const isSql = (text: string) => SQL_LITERALS.some((re) => re.test(text));

const RULES: Array<{ what: string; re: RegExp }> = [
  { what: "a prepared statement", re: /\.prepare\s*(?:<[^>]*>)?\s*\(/ },
  { what: "a pragma", re: /\.pragma\s*\(/ },
  // A RegExp's .exec takes a variable; SQL is run with a string.
  { what: "SQL run with .exec", re: /\.exec\s*\(\s*["'`]/ },
  { what: "a database handle's .exec", re: /\b(?:db|database|conn|connection|sqlite)\s*\.exec\s*\(/i },
  { what: "a database transaction", re: /\b(?:db|database|conn|connection|sqlite)\s*\.transaction\s*\(/i },
  { what: "the SQLite driver", re: /from\s+["']better-sqlite3["']|require\(\s*["']better-sqlite3["']\s*\)/ },
];

/** What in a source file talks to the database, with its line numbers. */
export function sqlFindings(source: string): string[] {
  const found: string[] = [];
  source.split("\n").forEach((line, i) => {
    for (const r of RULES) if (r.re.test(line)) found.push(`line ${i + 1}: ${r.what}: ${line.trim()}`);
    if (isSql(line)) found.push(`line ${i + 1}: a SQL string: ${line.trim()}`);
  });
  // Statements spread over lines ("`\n  SELECT … FROM") are caught on the whole text too.
  if (found.length === 0 && isSql(source)) found.push("a SQL string spread over several lines");
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === STORE ? [] : sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [path] : [];
  });
}

describe("SQL lives only in src/store", () => {
  it("recognises database access in every form it takes", () => {
    const bad = [
      `const q = db.prepare("SELECT 1");`,
      `this.db.prepare<[string], { n: number }>(\n "x")`,
      `db.pragma("journal_mode = WAL");`,
      `db.exec("DELETE FROM outbox");`,
      `this.db.transaction(() => {})();`,
      `import Database from "better-sqlite3";`,
      "const sql = `\n  SELECT code FROM units WHERE parent_code IS NULL`;",
      `run('INSERT OR IGNORE INTO chats (a) VALUES (?)')`,
      `const s = "update outbox set status = 'sent'";`,
    ];
    for (const sample of bad) expect(sqlFindings(sample), sample).not.toEqual([]);
    const fine = [
      `const m = /^(\\d+)$/.exec(text);`,
      `while ((m = tag.exec(xml)) !== null) {}`,
      `// the outbox is updated when sent`,
      `const msg = "Dạ, anh/chị chọn đơn vị từ danh sách";`,
      `log.info("select a unit from the list");`,
    ];
    for (const sample of fine) expect(sqlFindings(sample), sample).toEqual([]);
  });

  it("finds none outside src/store", () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((f) => sqlFindings(readFileSync(f, "utf8")).map((x) => `${relative(ROOT, f)} ${x}`));
    expect(offenders).toEqual([]);
  });
});
