// Stored data written before a change of shape is carried over by the migration that makes the change.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { migrate } from "../../src/store/db.js";

/** A database at the schema before the migration at `index` (counting from the end when negative). */
function databaseBefore(index: number): Database.Database {
  const db = new Database(":memory:");
  const upto = index < 0 ? MIGRATIONS.length + index : index;
  for (let v = 0; v < upto; v++) db.exec(MIGRATIONS[v]!);
  db.pragma(`user_version = ${upto}`);
  return db;
}

describe("migration to one report key", () => {
  // The migration that writes $.report into form sessions (its comment is outside the SQL text).
  const reportKeyMigration = MIGRATIONS.findIndex((m) => m.includes("json_set(state_json, '$.report'"));
  if (reportKeyMigration < 0) throw new Error("the report key migration is missing");

  it("moves a form session's unit, form and period into its report, and leaves other sessions alone", () => {
    const db = databaseBefore(reportKeyMigration);
    const insert = db.prepare("INSERT INTO sessions (platform, chat_id, user_id, state_json, updated_at) VALUES ('telegram', ?, ?, ?, 'x')");
    insert.run("-1", "1", JSON.stringify({ mode: "form", unit: "25747-01", form: "mttq_dinh_ky", period: "2026-M11", homeChatId: "-1", pending: { values: { a: 1 }, warnings: [] } }));
    insert.run("-1", "2", JSON.stringify({ mode: "edit_value", unit: "25747-02", form: "mttq_dinh_ky", period: "2026-M10", homeChatId: "-1", field: "tt_so_buoi", audit: "staff" }));
    insert.run("-1", "3", JSON.stringify({ mode: "register", areas: ["25747-01"] }));
    migrate(db);
    const state = (user: string) => JSON.parse(db.prepare<[string], { state_json: string }>("SELECT state_json FROM sessions WHERE user_id = ?").get(user)!.state_json);
    expect(state("1")).toEqual({
      mode: "form",
      report: { unit: "25747-01", form: "mttq_dinh_ky", period: "2026-M11" },
      homeChatId: "-1",
      pending: { values: { a: 1 }, warnings: [] },
    });
    expect(state("2")).toEqual({
      mode: "edit_value",
      report: { unit: "25747-02", form: "mttq_dinh_ky", period: "2026-M10" },
      homeChatId: "-1",
      field: "tt_so_buoi",
      audit: "staff",
    });
    expect(state("3")).toEqual({ mode: "register", areas: ["25747-01"] });
  });

  it("gives a draft still waiting in the outbox its report key", () => {
    const db = databaseBefore(reportKeyMigration);
    const document = { kind: "area_report", unit: "25747-01", form: "mttq_dinh_ky", period: "2026-M11", version: 2 };
    db.prepare("INSERT INTO outbox (platform, chat_id, payload_json, created_at) VALUES ('telegram', '-1', ?, 0)").run(JSON.stringify({ text: "x", document }));
    db.prepare("INSERT INTO outbox (platform, chat_id, payload_json, created_at) VALUES ('telegram', '-1', ?, 0)").run(JSON.stringify({ text: "y" }));
    migrate(db);
    const rows = db.prepare<[], { payload_json: string }>("SELECT payload_json FROM outbox ORDER BY id").all().map((r) => JSON.parse(r.payload_json));
    expect(rows[0]).toEqual({ text: "x", document: { kind: "area_report", report: { unit: "25747-01", form: "mttq_dinh_ky", period: "2026-M11" }, version: 2 } });
    expect(rows[1]).toEqual({ text: "y" });
  });
});
