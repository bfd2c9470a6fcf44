// The production build: `npm run build` compiles src/ to dist/, and the bot and the CLI run as `node dist/...`
// from any working directory (prompts/ and data/ are found from the compiled files). While the compiled bot
// serves two leaders, `backup` makes consistent online copies; the README's restore (stop, copy the backup over
// the database, start) brings back exactly what the copy held.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";
import { startFakeTelegram, type FakeTelegram, type UserInput } from "../support/fake-telegram.js";
import { until } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { ANSWERS, CLOCK_START, freshDatabase, hanh, tu } from "../support/reporting-data.js";

const GROUP = { id: -1001666000111, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const LEADERS: Array<{ user: UserInput; area: string; script: string[] }> = [
  { user: { id: tu.id, first_name: tu.name }, area: "25747-01", script: ANSWERS[tu.id]! },
  { user: { id: hanh.id, first_name: hanh.name }, area: "25747-02", script: ANSWERS[hanh.id]! },
];

let tg: FakeTelegram | undefined;
const children: Array<ReturnType<typeof spawn>> = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  await tg?.close();
});

// dist/ is built by the tests' global setup (test/support/build-once.ts), exactly as `npm run build` does.

/** `node dist/<file>` from a folder that is not the project's. */
function compiled(file: string, args: string[], env: Record<string, string>, cwd: string) {
  return spawnSync(process.execPath, [join(ROOT, "dist", file), ...args], { cwd, env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" });
}

function startCompiledBot(env: Record<string, string>, cwd: string) {
  let out = "";
  const child = spawn(process.execPath, [join(ROOT, "dist", "main.js")], { cwd, env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, stop: () => (child.kill("SIGTERM"), exited) };
}

function counts(path: string): { answers: number; processed: number; outbox: number; integrity: unknown } {
  const db = new Database(path, { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      answers: n("SELECT count(*) AS n FROM answers"),
      processed: n("SELECT count(*) AS n FROM processed_updates"),
      outbox: n("SELECT count(*) AS n FROM outbox"),
      integrity: db.pragma("integrity_check", { simple: true }),
    };
  } finally {
    db.close();
  }
}

describe("the compiled bot and CLI", () => {
  it("run from dist/ in any folder; backups taken while the bot writes are whole, and a restore brings one back", async () => {
    expect(existsSync(join(ROOT, "dist", "main.js"))).toBe(true);
    const elsewhere = mkdtempSync(join(tmpdir(), "baocao-cwd-"));
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path } = freshDatabase();
    const setup = new Database(path);
    const at = new Date(CLOCK_START).toISOString();
    setup.prepare("INSERT INTO chats (platform, chat_id, unit_code, linked_by, linked_at) VALUES ('telegram', ?, '25747', 'test', ?)").run(String(GROUP.id), at);
    for (const l of LEADERS) {
      setup.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at) VALUES ('telegram', ?, 'reporter', ?, ?)").run(String(l.user.id), l.area, at);
    }
    setup.close();
    const env = {
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATABASE_PATH: path,
      BOT_CLOCK_START: CLOCK_START,
      OUTBOX_GROUP_PER_MINUTE: "10000",
      OUTBOX_GROUP_MIN_GAP_MS: "0",
      // The HTTP server is always on: a free port on loopback, so that parallel tests never collide.
      PORT: "0",
      HOST: "127.0.0.1",
    };
    let bot = startCompiledBot(env, elsewhere);
    const g = new GroupDriver(tg, GROUP, 20_000);

    let running = true;
    const session = Promise.all(
      LEADERS.map(async (l) => {
        // The shipped kinds: on 10/11 the fund's peak month is open beside the month, so the kind is named.
        await g.say(l.user, "/baocao thang");
        for (const text of l.script) await g.say(l.user, text);
      }),
    ).finally(() => (running = false));

    await until(() => tg!.sent.length > 0, 15_000, "the compiled bot's first reply");
    const backups: string[] = [];
    while (running || backups.length < 3) {
      const file = join(elsewhere, `sao-luu-${backups.length}.sqlite`);
      const r = compiled("cli/main.js", ["backup", file], { DATABASE_PATH: path }, elsewhere);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Cơ sở dữ liệu: ${path}`);
      expect(r.stdout).toContain(`Đã sao lưu vào ${file}`);
      backups.push(file);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await session;
    // Each copy is one consistent moment: every stored update queued its one reply in the same commit.
    const copies = backups.map(counts);
    for (const c of copies) {
      expect(c.integrity).toBe("ok");
      expect(c.outbox).toBe(c.processed);
    }
    expect(copies.some((c) => c.answers > 0 && c.answers < counts(path).answers), `answers per copy: ${copies.map((c) => c.answers).join(", ")}`).toBe(true);
    // A second backup under an existing name is refused, not overwritten.
    expect(compiled("cli/main.js", ["backup", backups[0]!], { DATABASE_PATH: path }, elsewhere).status).toBe(2);

    // The compiled CLI finds prompts/ from dist/: the commune draft is made from another folder.
    const draft = join(elsewhere, "tong-hop.docx");
    const summary = compiled("cli/main.js", ["summary", "--unit", "25747", "--form", "thang", "--period", "tháng 11/2026", "--out", draft], { DATABASE_PATH: path }, elsewhere);
    expect(summary.status, summary.stderr).toBe(0);
    expect(existsSync(draft)).toBe(true);

    // Restore as README says: stop the bot, put the copy in place (without the old -wal/-shm), start it.
    const chosen = backups.find((_, i) => copies[i]!.answers > 0 && copies[i]!.answers < counts(path).answers)!;
    expect(await bot.stop()).toBe(0);
    for (const suffix of ["-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
    copyFileSync(chosen, path);
    bot = startCompiledBot(env, elsewhere);
    expect((await g.say(LEADERS[0]!.user, "/xem")).text).toBeTruthy();
    expect(counts(path).answers).toBe(counts(chosen).answers);
    expect(await bot.stop()).toBe(0);
  }, 90_000);
});
