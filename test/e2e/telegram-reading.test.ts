// The readings of issue 8's "What we saw" through the real bot process and the local stand-in of the
// Telegram Bot API: a leader types the answers that used to be misread, sees the bot's reading (or its one
// question), presses a button, and the database holds the figures meant.
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram, type UserInput } from "../support/fake-telegram.js";
import { startBotProcess, type BotProcess } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { freshDatabase, storedAnswers } from "../support/reporting-data.js";

const GROUP = { id: -1001234567890, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const minh: UserInput = { id: 5001, first_name: "Minh", last_name: "Cán bộ xã" };
const tu: UserInput = { id: 5002, first_name: "Tư" };

let tg: FakeTelegram | undefined;
let bot: BotProcess | undefined;
afterEach(async () => {
  await bot?.kill("SIGKILL");
  await tg?.close();
  bot = undefined;
  tg = undefined;
});

describe("Telegram: figures read where they were meant, or asked about", () => {
  it("reads the issue's examples, asks about a lone figure and a part, and stores only what was meant", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path, staffCode } = freshDatabase();
    bot = startBotProcess({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATABASE_PATH: path,
      BOT_CLOCK_START: "2026-11-10T09:00:00+07:00",
      OUTBOX_GROUP_PER_MINUTE: "10000",
      OUTBOX_GROUP_MIN_GAP_MS: "0",
    });
    const g = new GroupDriver(tg, GROUP);
    await g.say(minh, `/dangky ${staffCode}`);
    await g.say(minh, "/lienket 25747");
    const menu = await g.say(tu, "/dangky");
    await g.press(tu, menu, g.buttons(menu).find((b) => b.text.includes("Ấp Bến Đò"))!.data!);
    await g.say(tu, "/baocao");

    // "350 nguoi" alone: held, and the sessions are asked for; nothing is stored yet.
    const part = await g.say(tu, "350 nguoi");
    expect(part.text).toContain("Em ghi tạm 350 lượt người.");
    expect(part.text).toContain("mấy buổi tuyên truyền");
    expect(storedAnswers(path, "25747-01")).toEqual({});
    const both = await g.say(tu, "mười hai");
    expect(both.text).toContain("Ghi nhận: 12 buổi, 350 lượt người. ✔");
    await g.say(tu, "/bo");

    // "15 vu thanh 10 khong thanh 5": 15 received, not refused by the rules.
    const hg = await g.say(tu, "15 vu thanh 10 khong thanh 5");
    expect(hg.text).toContain("Ghi nhận: tiếp nhận 15 vụ, thành 10 vụ, không thành 5 vụ. ✔");
    await g.say(tu, "khong");

    // "20 trieu chi 15 trieu 7 ho": vận động 20 triệu, chi 15 triệu.
    const quy = await g.say(tu, "20 trieu chi 15 trieu 7 ho");
    expect(quy.text).toContain("Ghi nhận: vận động 20.000.000 đồng, chi 15.000.000 đồng, giúp 7 hộ. ✔");

    // A percentage outside the form's band is confirmed with the buttons before it is stored.
    const low = await g.say(tu, "5%");
    expect(low.text).toContain("đúng không ạ?");
    expect(g.buttons(low).map((b) => b.text)).toEqual(["Có", "Không"]);
    expect(storedAnswers(path, "25747-01")).not.toHaveProperty("gdvh_ty_le");
    const kept = await g.press(tu, low, "ok:1");
    expect(kept.text).toContain("Ghi nhận: gia đình văn hóa 5%. ✔");

    expect(storedAnswers(path, "25747-01")).toMatchObject({
      tt_so_buoi: 12,
      tt_luot_nguoi: 350,
      hg_tiep_nhan: 15,
      hg_thanh: 10,
      hg_khong_thanh: 5,
      txct_co: false,
      qvnn_van_dong: 20_000_000,
      qvnn_chi: 15_000_000,
      qvnn_so_ho: 7,
      gdvh_ty_le: 5,
    });
  }, 60_000);
});
