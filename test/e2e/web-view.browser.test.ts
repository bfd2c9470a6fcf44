// End to end in a real browser: the bot runs as in production against the local Telegram and Zalo stand-ins;
// commune staff ask for /web in a private chat on each platform, and headless Chromium opens the link they got,
// at phone and desktop widths. Screenshots are left in test-output/web/ for a person to look at.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import Database from "better-sqlite3";
import { startFakeTelegram, type FakeTelegram, type UserInput } from "../support/fake-telegram.js";
import { startFakeZalo, type FakeZalo } from "../support/fake-zalo.js";
import { startBotProcess, until, type BotProcess } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { ANSWERS, CLOCK_START, freshDatabase, hanh, minh, tu } from "../support/reporting-data.js";

const OUT = join("test-output", "web");
const CHROMIUM = "/usr/bin/chromium";
// As the machine notes ask: no GPU, no QUIC, and none of Chromium's own calls to the network.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let browser: Browser;
let tg: FakeTelegram | undefined;
let zalo: FakeZalo | undefined;
let bot: BotProcess | undefined;

beforeAll(async () => {
  // playwright-core gives every launch a fresh, empty profile directory of its own.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});
afterAll(async () => browser?.close());
afterEach(async () => {
  await bot?.kill("SIGKILL");
  await tg?.close();
  await zalo?.close();
});

const GROUP = { id: -1001234567890, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const user = (p: { id: number; name: string }): UserInput => ({ id: p.id, first_name: p.name });
const officer = { id: 5101, name: "Quân" };

describe("web view in a browser", () => {
  it("staff open their /web link from Telegram and Zalo; a forged link shows no data", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    zalo = await startFakeZalo({ maxPollSeconds: 1 });
    const db = freshDatabase();
    // The commune's staff member on Zalo already holds the role (as an invite code would give it).
    const zaloStaff = { id: "8100000000000000001", name: "Minh Zalo" };
    const raw = new Database(db.path);
    raw.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at) VALUES ('zalo', ?, 'commune_staff', '25747', ?)").run(zaloStaff.id, "2026-11-10T02:00:00Z");
    // And a province officer on Telegram.
    raw.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at) VALUES ('telegram', ?, 'officer', '75', ?)").run(String(officer.id), "2026-11-10T02:00:00Z");
    raw.close();
    bot = startBotProcess({
      DATABASE_PATH: db.path,
      BOT_CLOCK_START: CLOCK_START,
      OUTBOX_GROUP_PER_MINUTE: "10000",
      OUTBOX_GROUP_MIN_GAP_MS: "0",
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.apiRoot,
    });
    await until(() => bot!.output().includes("HTTP_PORT=") || bot!.child.exitCode !== null, 20_000, "the HTTP server");
    const g = new GroupDriver(tg, GROUP);
    await g.say(user(minh), `/dangky ${db.staffCode}`);
    await g.say(user(minh), "/lienket 25747");
    for (const [p, area] of [[tu, "Ấp Bến Đò"], [hanh, "Ấp Cây Dầu"]] as const) {
      const menu = await g.say(user(p), "/dangky");
      await g.press(user(p), menu, g.buttons(menu).find((b) => b.text.includes(area))!.data!);
      await g.say(user(p), "/baocao");
      for (const a of ANSWERS[p.id]!) await g.say(user(p), a);
    }

    // Telegram: /web in the private chat.
    const dm = new GroupDriver(tg, { id: minh.id, type: "private" });
    const reply = await dm.say(user(minh), "/web");
    const url = /(http:\/\/127\.0\.0\.1:\d+\/web\/[A-Za-z0-9_-]+)/.exec(reply.text ?? "")?.[1];
    expect(url, reply.text).toBeDefined();

    mkdirSync(OUT, { recursive: true });
    for (const [name, viewport] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 900 }]] as const) {
      const context = await browser.newContext({ viewport, locale: "vi-VN", deviceScaleFactor: name === "phone" ? 2 : 1 });
      const page = await context.newPage();
      const response = await page.goto(url!);
      expect(response!.status()).toBe(200);
      expect(await page.locator("html").getAttribute("lang")).toBe("vi");
      expect(await page.locator("h1").innerText()).toBe("Xã Tân Khai");
      await expect(page.getByRole("heading", { level: 2, name: "Kết quả công tác Mặt trận tháng 11/2026" }).count()).resolves.toBe(1);
      const progress = page.getByRole("table", { name: "Tiến độ nộp báo cáo" });
      await expect(progress.getByRole("rowheader", { name: "1. Ấp Bến Đò" }).count()).resolves.toBe(1);
      expect(await progress.getByRole("row").filter({ hasText: "Ấp Bến Đò" }).innerText()).toContain("Đã nộp");
      expect(await progress.getByRole("row").filter({ hasText: "Ấp Sóc Ruộng" }).innerText()).toContain("Chưa nộp");
      expect(await page.getByText("Đã nộp 2/8 khu dân cư.").count()).toBe(1);
      // 3.850 + 420 attendees, the same totals /tonghop gives.
      const totals = page.getByRole("table", { name: "Tổng hợp số liệu" });
      expect(await totals.getByRole("row").filter({ hasText: "Số lượt người tham dự" }).innerText()).toContain("4.270");
      // The chart is loaded (a real PNG, 1.200 px wide) and has a text alternative.
      const chart = page.getByRole("img", { name: /Biểu đồ kết quả tháng 11\/2026 của xã Tân Khai/ });
      await chart.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => {
        const img = document.querySelector("img.chart") as HTMLImageElement | null;
        return !!img && img.complete && img.naturalWidth > 0;
      });
      expect(await chart.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1200);
      // The picture fits the screen; only the wide figures table scrolls sideways.
      const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(widths.doc).toBeLessThanOrEqual(widths.view);
      // A download from the page.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Bảng số liệu và lịch sử sửa (.xlsx)" }).click()]);
      expect(download.suggestedFilename()).toBe("Số liệu tháng 11-2026 - Xã Tân Khai.xlsx");
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
      // What fits on one screen: the top, the chart, the figures table.
      for (const [i, target] of ["h1", "img.chart", ".wide"].entries()) {
        await page.locator(target).first().evaluate((el) => el.scrollIntoView({ block: "start" }));
        await page.screenshot({ path: join(OUT, `${name}-${i + 1}.png`) });
      }
      await context.close();
    }

    // A forged link: a polite page, no data.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const forged = await page.goto(`${url!.slice(0, -6)}XXXXXX`);
    expect(forged!.status()).toBe(404);
    expect(await page.locator("h1").innerText()).toBe("Không tìm thấy trang");
    expect(await page.content()).not.toContain("Ấp Bến Đò");
    await page.screenshot({ path: join(OUT, "forged.png") });

    // Zalo: "web" in the private chat brings a link too, for the same commune.
    const from = zalo.sent.length;
    zalo.userSays({ chat: { id: zaloStaff.id, type: "PRIVATE" }, from: zaloStaff, text: "web" });
    const zReply = await zalo.waitFor((s) => s.chatId === zaloStaff.id && s.method === "sendMessage", 15_000, { fromIndex: from });
    const zUrl = /(http:\/\/127\.0\.0\.1:\d+\/web\/[A-Za-z0-9_-]+)/.exec(zReply.text ?? "")?.[1];
    expect(zUrl, zReply.text).toBeDefined();
    expect(zUrl).not.toBe(url);
    await page.goto(zUrl!);
    expect(await page.locator("h1").innerText()).toBe("Xã Tân Khai");
    expect(await page.getByRole("contentinfo").innerText()).toContain("Minh Zalo");
    await context.close();
    // Telegram's link still works: each person has their own.
    const again = await (await browser.newContext()).newPage();
    expect((await again.goto(url!))!.status()).toBe(200);

    // The province officer sees every commune's completeness and opens one.
    const officerDm = new GroupDriver(tg, { id: officer.id, type: "private" });
    const oReply = await officerDm.say(user(officer), "/web");
    const oUrl = /(http:\/\/127\.0\.0\.1:\d+\/web\/[A-Za-z0-9_-]+)/.exec(oReply.text ?? "")?.[1];
    const oContext = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const oPage = await oContext.newPage();
    await oPage.goto(oUrl!);
    expect(await oPage.locator("h1").innerText()).toBe("Tỉnh Đồng Nai");
    const communes = oPage.getByRole("table", { name: "Tiến độ nộp báo cáo" });
    expect(await communes.getByRole("row").filter({ hasText: "Xã Tân Khai" }).innerText()).toContain("2/8 khu dân cư đã nộp");
    await oPage.screenshot({ path: join(OUT, "officer-phone.png") });
    await communes.getByRole("link", { name: "Xã Tân Khai" }).click();
    expect(await oPage.locator("h1").innerText()).toBe("Xã Tân Khai");
    expect(await oPage.getByRole("link", { name: "← Tỉnh Đồng Nai" }).count()).toBe(1);
    await oContext.close();
  }, 120_000);
});
