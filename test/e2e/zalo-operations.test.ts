// End to end on Zalo, as documented: a bot whose name has spaces (getMe's account_name, no ZALO_BOT_NAME) is
// read when mentioned at the start or the end of a message; webhook bodies come wrapped (`{ok, result}`) or
// bare; a 403 is waited out on sending and on polling; unsupported messages get a polite word; `lienket <mã>`
// is a command whatever the code looks like; the webhook answers 400/405, and 500 while storage fails.
import { afterEach, describe, expect, it } from "vitest";
import { FailingStorage } from "../support/failing-storage.js";
import { until } from "../support/bot-process.js";
import { minh, tu } from "../support/reporting-data.js";
import { ZaloReportingDriver } from "../support/reporting-drivers.js";

let d: ZaloReportingDriver | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

describe("Zalo as documented", () => {
  it("a bot named with spaces is read when mentioned at the start or at the end", async () => {
    d = new ZaloReportingDriver({ fake: { botName: "Bot Báo Cáo Xã" } });
    await d.start();
    const group = d.group;
    const say = async (text: string) => {
      const from = d!.zalo.sent.length;
      expect(d!.zalo.userSays({ chat: group, from: d!.user(minh), text }).delivered).toBe(true);
      return d!.collect(group.id, from);
    };
    expect(await say(`@Bot Báo Cáo Xã dang ky ${d.staffCode}`)).toContain("cán bộ Mặt trận xã");
    expect(await say("lien ket 25747 @Bot Báo Cáo Xã")).toContain("Đã liên kết nhóm này với Xã Tân Khai");
    expect(await say("@Bot Báo Cáo Xã tro giup")).toContain("Các lệnh");
    // The private-chat offer names the bot as people mention it.
    const start = await (async () => {
      const from = d!.zalo.sent.length;
      d!.zalo.userSays({ chat: group, from: d!.user(tu), text: "dang ky @Bot Báo Cáo Xã" });
      return d!.collect(group.id, from);
    })();
    expect(start).toContain("1. Ấp Bến Đò");
    expect(d.output()).not.toContain("did not match the bot's name");
  }, 60_000);

  it("takes webhook bodies bare as well as wrapped", async () => {
    d = new ZaloReportingDriver({ fake: { webhookBare: true } });
    await d.start();
    expect(await d.say(minh, `dang ky ${d.staffCode}`)).toContain("cán bộ Mặt trận xã");
    expect(d.zalo.webhookDeliveries.every((w) => w.status === 200)).toBe(true);
  }, 60_000);

  it("waits out a 403 on sending instead of dropping the message", async () => {
    d = new ZaloReportingDriver();
    await d.start();
    d.zalo.failNext("sendMessage", 403, "Forbidden", 2);
    expect(await d.say(minh, `dang ky ${d.staffCode}`)).toContain("cán bộ Mặt trận xã");
    expect(d.zalo.calls.filter((c) => c.method === "sendMessage" && c.status === 403)).toHaveLength(2);
  }, 60_000);

  it("keeps polling through a 403 from getUpdates", async () => {
    d = new ZaloReportingDriver({ mode: "polling", fake: { maxPollSeconds: 0.3 } });
    await d.start();
    d.zalo.failNext("getUpdates", 403, "Forbidden", 2);
    await until(() => d!.zalo.calls.filter((c) => c.method === "getUpdates" && c.status === 403).length === 2, 15_000, "two refused polls");
    expect(await d.say(minh, `dang ky ${d.staffCode}`)).toContain("cán bộ Mặt trận xã");
    expect(d.bot!.child.exitCode).toBeNull();
  }, 60_000);

  it("answers an unsupported message politely, and reads `lienket <mã>` as the command whatever the code", async () => {
    d = new ZaloReportingDriver();
    await d.start();
    const from = d.zalo.sent.length;
    d.zalo.userSendsUnsupported({ chat: { id: d.user(tu).id, type: "PRIVATE" }, from: d.user(tu) });
    expect(await d.collect(d.user(tu).id, from)).toContain("em chỉ đọc được tin nhắn chữ");
    expect(await d.say(minh, `dang ky ${d.staffCode}`)).toContain("cán bộ Mặt trận xã");
    expect(await d.say(minh, "lienket TK-01")).toContain("không tìm thấy xã có mã “TK-01”");
    expect(await d.say(minh, "lien ket tankhai")).toContain("không tìm thấy xã có mã “tankhai”");
  }, 60_000);
});

describe("Zalo webhook", () => {
  it("answers 405 to PUT, 400 to an empty body, 500 while storage fails; the redelivery is answered once", async () => {
    d = new ZaloReportingDriver({ fake: { webhookRetryDelayMs: 400 } });
    await d.start();
    const headers = { "content-type": "application/json", "X-Bot-Api-Secret-Token": d.secret };
    expect((await fetch(d.webhookUrl, { method: "PUT", headers, body: "{}" })).status).toBe(405);
    expect((await fetch(d.webhookUrl, { method: "POST", headers, body: "" })).status).toBe(400);
    expect((await fetch(d.webhookUrl, { method: "POST", headers, body: "{" })).status).toBe(400);

    const storage = new FailingStorage(d.dbPath);
    storage.fail("updates");
    const reply = d.sendNow(minh, `dang ky ${d.staffCode}`).reply;
    const key = d.zalo.updates.at(-1)!.message.message_id;
    await until(() => d!.zalo.webhookDeliveries.filter((w) => w.key.endsWith(key) && w.status === 500).length >= 2, 15_000, "two refused deliveries");
    storage.heal();
    expect(await reply).toContain("cán bộ Mặt trận xã");
    await new Promise((r) => setTimeout(r, 500));
    expect(d.zalo.messagesTo(d.groupChatId)).toHaveLength(1);
  }, 60_000);
});
