import type { Update, User } from "grammy/types";
import { describe, expect, it } from "vitest";
import { toEvent } from "../../src/adapters/telegram/to-event.js";

const BOT = 123456789;
const chat = { id: -1001, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const tu: User = { id: 5002, is_bot: false, first_name: "Tư", last_name: "Nguyễn" };
const admin: User = { id: 5001, is_bot: false, first_name: "Minh" };

const left = (from: User, member: User): Update =>
  ({ update_id: 7, message: { message_id: 40, date: 0, chat, from, left_chat_member: member } }) as Update;

describe("Telegram's left_chat_member", () => {
  it("becomes a neutral member_left event, whoever removed the person", () => {
    expect(toEvent(left(tu, tu), BOT)).toMatchObject({ chat: { id: "-1001", type: "group" }, from: { id: "5002" }, body: { kind: "member_left", member: { id: "5002", name: "Tư Nguyễn" } } });
    expect(toEvent(left(admin, tu), BOT)).toMatchObject({ from: { id: "5001" }, body: { kind: "member_left", member: { id: "5002" } } });
    // Removed by a moderation bot: still the person's departure.
    expect(toEvent(left({ ...admin, is_bot: true }, tu), BOT)?.body).toMatchObject({ kind: "member_left" });
  });

  it("leaves the bot's own removal and other bots alone", () => {
    expect(toEvent(left(admin, { id: BOT, is_bot: true, first_name: "Bot" }), BOT)).toBeUndefined();
    expect(toEvent(left(admin, { id: 999, is_bot: true, first_name: "OtherBot" }), BOT)).toBeUndefined();
  });
});
