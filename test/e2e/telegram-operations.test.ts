// End to end on Telegram, the operator's first week: the real bot process (src/main.ts) against the local Bot
// API stand-in, with storage that fails on purpose (SQLite triggers in the bot's own database), a group that
// removes the bot and adds it back, a person who blocks it, two processes started on one database, a read-only
// database, and malformed webhook calls.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";
import { startFakeTelegram, type FakeTelegram, type UserInput } from "../support/fake-telegram.js";
import { freePort, startBotProcess, until, type BotProcess } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { FailingStorage } from "../support/failing-storage.js";
import { CLOCK_START, freshDatabase } from "../support/reporting-data.js";

const GROUP = { id: -1001444000111, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const PROVINCE = { id: -1001444000999, type: "supergroup" as const, title: "MTTQ tỉnh Đồng Nai" };
const tu: UserInput = { id: 6201, first_name: "Tư" };
const minh: UserInput = { id: 6202, first_name: "Minh" };

let tg: FakeTelegram | undefined;
const bots: BotProcess[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) await b.kill("SIGKILL");
  await tg?.close();
  tg = undefined;
});

/** A database with the sample units, the commune group (and the province's) linked, Tư a leader, Minh staff. */
function seeded(): string {
  const { path } = freshDatabase();
  const db = new Database(path);
  const at = new Date(CLOCK_START).toISOString();
  const link = db.prepare("INSERT INTO chats (platform, chat_id, unit_code, linked_by, linked_at) VALUES ('telegram', ?, ?, 'test', ?)");
  link.run(String(GROUP.id), "25747", at);
  link.run(String(PROVINCE.id), "75", at);
  const grant = db.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at) VALUES ('telegram', ?, ?, ?, ?)");
  grant.run(String(tu.id), "reporter", "25747-01", at);
  grant.run(String(minh.id), "commune_staff", "25747", at);
  db.close();
  return path;
}

function env(dbPath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: tg!.token,
    TELEGRAM_API_ROOT: tg!.apiRoot,
    DATABASE_PATH: dbPath,
    BOT_CLOCK_START: CLOCK_START,
    OUTBOX_GROUP_PER_MINUTE: "10000",
    OUTBOX_GROUP_MIN_GAP_MS: "0",
    ...extra,
  };
}

function start(dbPath: string, extra: Record<string, string> = {}): BotProcess {
  const bot = startBotProcess(env(dbPath, extra));
  bots.push(bot);
  return bot;
}

function query<T>(path: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe("an update whose storage fails", () => {
  it("stays unconfirmed with Telegram while it is retried, and is answered once when storage is back", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const path = seeded();
    const storage = new FailingStorage(path);
    const bot = start(path);
    const g = new GroupDriver(tg, GROUP, 20_000);
    await g.say(tu, "/trogiup");

    storage.fail("updates");
    const update = tg.userSays({ chat: GROUP, from: tu, text: "/baocao" });
    await until(() => count(bot.output(), "update could not be stored") >= 2, 15_000, "two failed tries in the log");
    // Not confirmed: Telegram still holds it, the bot has answered nothing.
    expect(tg.pendingUpdates.map((u) => u.update_id)).toContain(update.update_id);
    expect(tg.sent.some((s) => s.replyTo === update.message!.message_id)).toBe(false);

    storage.heal();
    const reply = await tg.waitFor((s) => s.replyTo === update.message!.message_id, 20_000);
    expect(reply.text).toContain("mời anh/chị Tư nhập báo cáo tháng 11/2026");
    await tg.waitUntilConsumed(10_000);
    expect(query(path, "SELECT update_key FROM processed_updates WHERE update_key = ?", String(update.update_id))).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(tg.sent.filter((s) => s.replyTo === update.message!.message_id)).toHaveLength(1);
  }, 60_000);

  it("is parked with its error after five tries, the others go on, and `parked retry` answers it later", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const path = seeded();
    const storage = new FailingStorage(path);
    start(path);
    const g = new GroupDriver(tg, GROUP, 20_000);
    await g.say(tu, "/trogiup");

    storage.fail("updates", String(tg.nextUpdate));
    const poison = tg.userSays({ chat: GROUP, from: minh, text: "/tiendo" });
    await until(() => query(path, "SELECT 1 FROM parked_updates").length === 1, 20_000, "the update to be parked");
    // Everyone behind it is served.
    expect((await g.say(tu, "/xem")).text).toBeTruthy();
    const [row] = query<{ update_key: string; attempts: number; error: string; resolved_at: number | null }>(
      path,
      "SELECT update_key, attempts, error, resolved_at FROM parked_updates",
    );
    expect(row).toMatchObject({ update_key: String(poison.update_id), attempts: 5, resolved_at: null });
    expect(row!.error).toContain("injected by the test");

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "dist", "cli", "main.js"), ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", DATABASE_PATH: path },
        encoding: "utf8",
      });
    const listed = cli("parked");
    expect(listed.stderr).toContain(`Cơ sở dữ liệu: ${path}`);
    expect(listed.stdout).toContain(`telegram ${poison.update_id}`);
    expect(listed.stdout).toContain("injected by the test");
    // Still failing: the record stays.
    expect(cli("parked", "retry", "all").stdout).toContain("vẫn lỗi");
    storage.heal();
    expect(cli("parked", "retry", "all").stdout).toContain("đã xử lý");
    // The running bot sends the answer the retry queued.
    const answer = await tg.waitFor((s) => s.replyTo === poison.message!.message_id, 15_000);
    expect(answer.text).toContain("Tiến độ");
    expect(cli("parked").stdout).toContain("Không có cập nhật nào bị giữ lại.");
  }, 60_000);

  it("that can be neither stored nor parked stays with Telegram across a restart", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const path = seeded();
    const storage = new FailingStorage(path);
    const bot = start(path);
    const g = new GroupDriver(tg, GROUP, 20_000);
    await g.say(tu, "/trogiup");

    storage.fail("updates");
    storage.fail("parking");
    const update = tg.userSays({ chat: GROUP, from: tu, text: "/baocao" });
    await until(() => bot.output().includes("could be neither stored nor parked"), 20_000, "parking to fail too");
    expect(await bot.kill("SIGTERM")).toBe(0);
    expect(tg.pendingUpdates.map((u) => u.update_id)).toContain(update.update_id);

    storage.heal();
    start(path);
    const reply = await tg.waitFor((s) => s.replyTo === update.message!.message_id, 20_000);
    expect(reply.text).toContain("mời anh/chị Tư nhập báo cáo tháng 11/2026");
  }, 60_000);
});

describe("the bot removed from a group, and added back", () => {
  it("is told by my_chat_member: the group's queue is dropped, the province's group is told once, and the link comes back", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const path = seeded();
    // One message to the group every 1.5 s, so that some are still queued when the bot is removed.
    start(path, { OUTBOX_GROUP_MIN_GAP_MS: "1500" });
    tg.addChat(PROVINCE);
    const g = new GroupDriver(tg, GROUP, 20_000);
    await g.say(minh, "/trogiup");
    for (const text of ["/tiendo", "/danhsach", "/trogiup"]) tg.userSays({ chat: GROUP, from: minh, text });
    await until(() => query(path, "SELECT 1 FROM outbox WHERE chat_id = ? AND status = 'pending'", String(GROUP.id)).length >= 2, 10_000, "queued replies");

    tg.botRemovedFrom(GROUP.id, true, { by: { id: 6299, first_name: "Chủ nhóm" } });
    const gone = await tg.waitFor((s) => s.chatId === PROVINCE.id && (s.text ?? "").includes("không còn gửi được tin vào nhóm của Xã Tân Khai"), 15_000);
    expect(gone.text).toContain("em đã bị xoá khỏi nhóm");
    await until(() => query(path, "SELECT 1 FROM outbox WHERE chat_id = ? AND status = 'pending'", String(GROUP.id)).length === 0, 10_000, "the queue dropped");
    const dropped = query<{ error: string }>(path, "SELECT error FROM outbox WHERE chat_id = ? AND status = 'dropped'", String(GROUP.id));
    expect(dropped.length).toBeGreaterThanOrEqual(2);
    expect(dropped.every((d) => d.error === "gone: kicked")).toBe(true);
    expect(query(path, "SELECT status, reason FROM chat_status WHERE chat_id = ?", String(GROUP.id))).toEqual([{ status: "gone", reason: "kicked" }]);
    const removedAt = tg.calls.length;
    await new Promise((r) => setTimeout(r, 2000));
    // Nothing more was tried in the group, and the province heard it once.
    expect(tg.calls.slice(removedAt).filter((c) => String(c.params.chat_id) === String(GROUP.id))).toEqual([]);
    expect(tg.messagesTo(PROVINCE.id).filter((s) => (s.text ?? "").includes("không còn gửi được"))).toHaveLength(1);

    tg.botRemovedFrom(GROUP.id, false);
    const back = await tg.waitFor((s) => s.chatId === GROUP.id && (s.text ?? "").includes("em đã trở lại nhóm"), 15_000);
    expect(back.text).toContain("Nhóm vẫn liên kết với Xã Tân Khai");
    await tg.waitFor((s) => s.chatId === PROVINCE.id && (s.text ?? "").includes("được thêm lại vào nhóm của Xã Tân Khai"), 15_000);
    expect((await g.say(minh, "/tiendo")).text).toContain("Tiến độ");
  }, 60_000);

  it("is found out by a refused send when the removal update never came, and is told once", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const path = seeded();
    start(path, { OUTBOX_GROUP_MIN_GAP_MS: "1500" });
    tg.addChat(PROVINCE);
    const g = new GroupDriver(tg, GROUP, 20_000);
    await g.say(minh, "/trogiup");
    for (const text of ["/tiendo", "/danhsach", "/trogiup"]) tg.userSays({ chat: GROUP, from: minh, text });
    await until(() => query(path, "SELECT 1 FROM outbox WHERE chat_id = ? AND status = 'pending'", String(GROUP.id)).length >= 2, 10_000, "queued replies");

    tg.botRemovedFrom(GROUP.id, true, { notify: false });
    await tg.waitFor((s) => s.chatId === PROVINCE.id && (s.text ?? "").includes("không còn gửi được tin vào nhóm của Xã Tân Khai"), 15_000);
    await until(() => query(path, "SELECT 1 FROM outbox WHERE chat_id = ? AND status = 'pending'", String(GROUP.id)).length === 0, 10_000, "the queue dropped");
    const refused = tg.calls.filter((c) => String(c.params.chat_id) === String(GROUP.id) && c.status === 403);
    expect(refused).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(tg.messagesTo(PROVINCE.id).filter((s) => (s.text ?? "").includes("không còn gửi được"))).toHaveLength(1);
  }, 60_000);

  it("a leader who blocks the bot in private: the commune group is told once", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const path = seeded();
    start(path);
    tg.addChat(GROUP);
    const dm = new GroupDriver(tg, { id: tu.id, type: "private" }, 20_000);
    await dm.say(tu, "/trogiup");
    tg.userBlocksBot(tu.id);
    const told = await tg.waitFor((s) => s.chatId === GROUP.id && (s.text ?? "").includes("không nhắn riêng được cho anh/chị Tư"), 15_000);
    expect(told.text).toContain("(Ấp Bến Đò)");
    expect(told.text).toContain("đã chặn tin nhắn của em");
    expect(query(path, "SELECT status, reason FROM chat_status WHERE chat_id = ?", String(tu.id))).toEqual([{ status: "gone", reason: "blocked" }]);
  }, 60_000);
});

describe("one bot per database", () => {
  it("a second process on the same database exits at once, naming it; the first goes on alone", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const path = seeded();
    start(path);
    const g = new GroupDriver(tg, GROUP, 20_000);
    await g.say(tu, "/trogiup");
    const second = start(path);
    await until(() => second.child.exitCode !== null, 15_000, "the second process to stop");
    expect(second.child.exitCode).toBe(1);
    expect(second.output()).toContain(`Cơ sở dữ liệu ${path} đang được một tiến trình bot khác dùng`);
    // Only one answer per message.
    const from = tg.sent.length;
    await g.say(tu, "/xem");
    await new Promise((r) => setTimeout(r, 500));
    expect(tg.sent.slice(from).filter((s) => s.method === "sendMessage")).toHaveLength(1);

    // The lock goes with the process, even on SIGKILL: a new one starts at once.
    await bots[0]!.kill("SIGKILL");
    start(path);
    expect((await g.say(tu, "/trogiup")).text).toContain("Các lệnh");
  }, 60_000);

  it("a read-only database stops the start with a message naming the file", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const path = seeded();
    // As root (CI), permissions do not stop a write: the immutable attribute does.
    if (process.getuid?.() === 0) execFileSync("chattr", ["+i", path]);
    else execFileSync("chmod", ["0444", path]);
    try {
      const bot = start(path);
      await until(() => bot.child.exitCode !== null, 15_000, "the bot to stop");
      expect(bot.child.exitCode).toBe(1);
      expect(bot.output()).toContain(`Không ghi được vào cơ sở dữ liệu ${path}: tệp hoặc thư mục chỉ cho đọc`);
    } finally {
      if (process.getuid?.() === 0) execFileSync("chattr", ["-i", path]);
    }
  }, 30_000);
});

describe("Telegram webhook", () => {
  it("answers 405 to GET/PUT, 400 to an empty or malformed body, 500 while storage fails, and the redelivery is answered", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false, webhookRetryDelayMs: 400, webhookMaxAttempts: 50 });
    const path = seeded();
    const storage = new FailingStorage(path);
    const port = await freePort();
    const secret = "tg-webhook_S3cret";
    const url = `http://127.0.0.1:${port}/telegram/webhook`;
    const bot = start(path, { TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: secret, PORT: String(port), HOST: "127.0.0.1" });
    await until(() => tg!.webhookUrl === url, 15_000, "the webhook to be set");
    const headers = { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret };
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(url, { method: "PUT", headers, body: "{}" })).status).toBe(405);
    expect((await fetch(url, { method: "POST", headers, body: "" })).status).toBe(400);
    expect((await fetch(url, { method: "POST", headers, body: "{not json" })).status).toBe(400);
    expect((await fetch(url, { method: "POST", headers, body: "[1,2]" })).status).toBe(400);
    expect((await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(401);
    expect((await fetch(url, { method: "POST", headers, body: JSON.stringify({ hello: 1 }) })).status).toBe(200);

    storage.fail("updates");
    const update = tg.userSays({ chat: GROUP, from: tu, text: "/baocao" });
    await until(() => tg!.webhookDeliveries.filter((w) => w.updateId === update.update_id && w.status === 500).length >= 2, 15_000, "two refused deliveries");
    storage.heal();
    const reply = await tg.waitFor((s) => s.replyTo === update.message!.message_id, 20_000);
    expect(reply.text).toContain("mời anh/chị Tư nhập báo cáo tháng 11/2026");
    expect(tg.webhookDeliveries.filter((w) => w.updateId === update.update_id).at(-1)!.status).toBe(200);

    const healthz = async () => (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<string, unknown>;
    // The reply's row is marked sent the moment Telegram answered; until then it counts as backlog.
    let health = await healthz();
    for (let i = 0; i < 50 && (health.outbox as { backlog: number }).backlog > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      health = await healthz();
    }
    expect(health).toMatchObject({ status: "ok", parkedUpdates: 0, outbox: { backlog: 0, oldestUnsentSeconds: null } });
    expect(typeof (health.lastUpdateAt as Record<string, string>).telegram).toBe("string");
    expect(bot.output()).not.toContain(tg.token.split(":")[1]!);
  }, 60_000);
});
