// The stage the attack scenarios share: the real bot process on a fresh database of the sample unit tree,
// talking to the local Telegram stand-in; two commune groups, each linked by its own staff.
import Database from "better-sqlite3";
import { startFakeTelegram, type FakeTelegram, type SentEntry, type UserInput } from "../support/fake-telegram.js";
import { startBotProcess, type BotProcess } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { freshDatabase, CLOCK_START } from "../support/reporting-data.js";

export const TAN_KHAI = { id: -1003000000001, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
export const TAN_QUAN = { id: -1003000000002, type: "supergroup" as const, title: "MTTQ xã Tân Quan" };
export const minh: UserInput = { id: 6001, first_name: "Minh" }; // staff of Tân Khai
export const lan: UserInput = { id: 6002, first_name: "Lan" }; // staff of Tân Quan
export const tu: UserInput = { id: 6011, first_name: "Tư" };
export const hanh: UserInput = { id: 6012, first_name: "Hạnh" };
export const mot: UserInput = { id: 6021, first_name: "Một" };

/** The default form as Tư types it (the first answer stores two figures). */
export const TU_ANSWERS = [
  "12 buoi 3.850 nguoi",
  "1",
  "15 vụ, thành 10, không thành 5",
  "có",
  "2 điểm, 5 đại biểu, 454 cử tri, 34 lượt phát biểu, 72 kiến nghị",
  "vận động 15 triệu, chi 10tr, giúp 12 hộ",
  "92,5%",
  "1 cuộc giám sát, 5 lượt tiếp dân, 3 đơn, đã xử lý 2",
  "Kinh phí hoạt động còn hạn chế",
  "không",
];

export interface Stand {
  tg: FakeTelegram;
  bot: BotProcess;
  path: string;
  tk: GroupDriver;
  tq: GroupDriver;
  /** A private chat of a person with the bot. */
  privately(user: UserInput): GroupDriver;
  /** Rows of the bot's database (read-only), e.g. to check what was stored or logged. */
  rows<T>(sql: string, ...params: unknown[]): T[];
  stop(): Promise<void>;
}

export async function startStand(): Promise<Stand> {
  const tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
  const { path, staffCodes } = freshDatabase(2);
  const db = new Database(path);
  // The second code is for Tân Quan's staff.
  db.prepare("UPDATE invites SET unit_code = '25750' WHERE code = ?").run(staffCodes[1]);
  db.close();
  const bot = startBotProcess({
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    DATABASE_PATH: path,
    BOT_CLOCK_START: CLOCK_START,
    OUTBOX_GROUP_PER_MINUTE: "10000",
    OUTBOX_GROUP_MIN_GAP_MS: "0",
  });
  const tk = new GroupDriver(tg, TAN_KHAI);
  const tq = new GroupDriver(tg, TAN_QUAN);
  await tk.say(minh, `/dangky ${staffCodes[0]}`);
  await tk.say(minh, "/lienket 25747");
  await tq.say(lan, `/dangky ${staffCodes[1]}`);
  await tq.say(lan, "/lienket 25750");
  return {
    tg,
    bot,
    path,
    tk,
    tq,
    privately: (user) => new GroupDriver(tg, { id: user.id, type: "private" }),
    rows<T>(sql: string, ...params: unknown[]): T[] {
      const ro = new Database(path, { readonly: true });
      try {
        return ro.prepare(sql).all(...params) as T[];
      } finally {
        ro.close();
      }
    },
    async stop() {
      await bot.kill("SIGKILL");
      await tg.close();
    },
  };
}

/** A leader registers for an area by pressing its button; returns the bot's answer. */
export async function registerFor(g: GroupDriver, user: UserInput, area: string): Promise<SentEntry> {
  const menu = await g.say(user, "/dangky");
  const button = g.buttons(menu).find((b) => b.text.includes(area));
  if (!button?.data) throw new Error(`no button for ${area}`);
  return g.press(user, menu, button.data);
}

/** A member leaves the group (or is removed): Telegram's `left_chat_member` service message. */
export function leaves(tg: FakeTelegram, chat: typeof TAN_KHAI, user: UserInput, messageId: number): void {
  tg.injectRaw({
    message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat, from: { ...user, is_bot: false }, left_chat_member: { ...user, is_bot: false } },
  } as never);
}

/** The bot's messages to a chat from an index on, as text (captions of documents included). */
export function textsTo(tg: FakeTelegram, chatId: number, fromIndex = 0): string[] {
  return tg.sent.slice(fromIndex).filter((s) => s.chatId === chatId && (s.method === "sendMessage" || s.method === "sendDocument")).map((s) => s.text ?? s.caption ?? "");
}
