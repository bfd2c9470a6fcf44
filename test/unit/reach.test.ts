// The bot removed from a group or blocked in private, and back: decided in the core, stored with the update,
// the queue of a gone chat dropped by the outbox, and the right people told once.
import { afterEach, describe, expect, it } from "vitest";
import { GROUP, Harness } from "../support/harness.js";
import { fill } from "../../src/core/messages.js";
import type { ChatGoneReason } from "../../src/core/events.js";

const PROVINCE_GROUP = "-100900";
const admin = { id: "1000", name: "Quản trị nhóm" };
const tu = { id: "101", name: "Tư" };
const minh = { id: "201", name: "Minh" };

let h: Harness;
afterEach(() => h?.close());

function membership(chatId: string, present: boolean, reason?: ChatGoneReason) {
  return h.send({
    chat: { id: chatId, type: chatId.startsWith("-") ? "group" : "private" },
    from: chatId.startsWith("-") ? admin : { id: chatId, name: "" },
    body: { kind: "bot_membership", present, reason },
  });
}

function outboxTo(chatId: string): Array<{ status: string; error: string | null; text: string }> {
  return h.core.db
    .prepare("SELECT status, error, json_extract(payload_json, '$.text') AS text FROM outbox WHERE chat_id = ? ORDER BY id")
    .all(chatId) as Array<{ status: string; error: string | null; text: string }>;
}

describe("the bot removed from a commune group", () => {
  it("marks the group gone, drops what is queued for it, tells the province's group once, and comes back as it was", async () => {
    h = new Harness();
    const m = h.core.prompts.messages;
    h.link(GROUP, "25747");
    h.link(PROVINCE_GROUP, "75");
    const sent = await membership(GROUP, false, "kicked");
    expect(sent.map((s) => [s.chatId, s.text])).toEqual([
      [PROVINCE_GROUP, fill(m.chat_gone_group, { unit: "Xã Tân Khai", reason: m.gone_kicked })],
    ]);
    // A later reply to the group (a reminder, a draft) is kept as dropped, never sent.
    h.core.db.prepare("INSERT INTO outbox (platform, chat_id, payload_json, created_at) VALUES ('telegram', ?, ?, 0)").run(GROUP, JSON.stringify({ text: "nhắc" }));
    await h.drainer.pass();
    expect(outboxTo(GROUP)).toEqual([{ status: "dropped", error: "gone: kicked", text: "nhắc" }]);
    expect(h.transport.sent.filter((s) => s.chatId === GROUP)).toEqual([]);
    // Told once: a second removal notice (a refused send meeting the same answer) changes nothing.
    expect(await membership(GROUP, false, "kicked")).toEqual([]);

    const back = await membership(GROUP, true);
    expect(back.map((s) => [s.chatId, s.text])).toEqual([
      [GROUP, fill(m.chat_back_here, { unit: "Xã Tân Khai" })],
      [PROVINCE_GROUP, fill(m.chat_back_group, { unit: "Xã Tân Khai" })],
    ]);
    // The link was never touched: the group still belongs to the commune.
    expect(h.core.db.prepare("SELECT unit_code FROM chats WHERE chat_id = ?").get(GROUP)).toEqual({ unit_code: "25747" });
    expect(await membership(GROUP, true)).toEqual([]);
  });

  it("with no group above, tells the commune's staff and the officers above privately", async () => {
    h = new Harness();
    const m = h.core.prompts.messages;
    h.link(GROUP, "25747");
    h.grant(minh, "commune_staff", "25747");
    h.grant({ id: "301", name: "Cán bộ tỉnh" }, "officer", "75");
    const sent = await membership(GROUP, false, "left");
    const text = fill(m.chat_gone_group, { unit: "Xã Tân Khai", reason: m.gone_left });
    expect(sent.map((s) => [s.chatId, s.text])).toEqual([
      [minh.id, text],
      ["301", text],
    ]);
  });

  it("an unlinked group is marked gone quietly", async () => {
    h = new Harness();
    expect(await membership("-100777", false, "kicked")).toEqual([]);
    expect(h.core.db.prepare("SELECT status, reason FROM chat_status WHERE chat_id = '-100777'").get()).toEqual({ status: "gone", reason: "kicked" });
  });

  it("a message from a group marked gone shows the bot is back there", async () => {
    h = new Harness();
    h.link(GROUP, "25747");
    await membership(GROUP, false, "kicked");
    await h.say(tu, "/trogiup", { reply: false });
    expect(h.core.db.prepare("SELECT status FROM chat_status WHERE chat_id = ?").get(GROUP)).toEqual({ status: "active" });
  });
});

describe("a person who blocked the bot in private", () => {
  it("is marked gone and their commune group is told once; nothing more is sent privately", async () => {
    h = new Harness();
    const m = h.core.prompts.messages;
    h.link(GROUP, "25747");
    h.grant(tu, "reporter", "25747-01");
    await h.say(tu, "/trogiup", { chatId: tu.id });
    const sent = await membership(tu.id, false, "blocked");
    expect(sent.map((s) => [s.chatId, s.text])).toEqual([[GROUP, fill(m.person_gone, { name: "Tư", units: "Ấp Bến Đò", reason: m.gone_blocked })]]);
    expect(await membership(tu.id, false, "blocked")).toEqual([]);
    // Coming back is quiet.
    expect(await membership(tu.id, true)).toEqual([]);
  });
});
