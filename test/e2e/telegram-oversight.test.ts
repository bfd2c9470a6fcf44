// End to end for commune staff and a district officer: a district group and two commune groups on the local
// Telegram stand-in. Figures of /tonghop are checked against sums computed by hand from the answers below.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram, type UserInput } from "../support/fake-telegram.js";
import { startBotProcess, type BotProcess } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { openDatabase } from "../../src/store/db.js";
import { importUnits, readUnitsCsv } from "../../src/store/units.js";
import { createInvite } from "../../src/store/invites.js";
import { docxText } from "../support/docx-text.js";
import { readXlsx } from "../support/read-xlsx.js";

// Three levels: a district between the province and the communes.
const UNITS = `code,name,level,parent_code
75,Tỉnh Đồng Nai,province,
750,Huyện Hớn Quản,district,75
25747,Xã Tân Khai,commune,750
25747-01,Ấp Bến Đò,area,25747
25747-02,Ấp Cây Dầu,area,25747
25747-03,Ấp Sóc Ruộng,area,25747
25750,Xã Tân Quan,commune,750
25750-01,Ấp 1,area,25750
25750-02,Ấp 2,area,25750
`;

const DISTRICT = { id: -1002000000001, type: "supergroup" as const, title: "MTTQ huyện Hớn Quản" };
const TAN_KHAI = { id: -1002000000002, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const TAN_QUAN = { id: -1002000000003, type: "supergroup" as const, title: "MTTQ xã Tân Quan" };
const officer: UserInput = { id: 7001, first_name: "Quân" };
const staffTK: UserInput = { id: 7002, first_name: "Minh" };
const staffTQ: UserInput = { id: 7003, first_name: "Lan" };
const tu: UserInput = { id: 7011, first_name: "Tư" };
const hanh: UserInput = { id: 7012, first_name: "Hạnh" };
const sau: UserInput = { id: 7013, first_name: "Sáu" };
const mot: UserInput = { id: 7021, first_name: "Một" };

// Figures per area: [sessions, attendees, received, successful, unsuccessful, raised (đồng)].
const FIGURES: Record<number, [number, number, number, number, number, number]> = {
  [tu.id]: [12, 3850, 15, 10, 5, 15_000_000],
  [hanh.id]: [8, 420, 5, 2, 1, 2_500_000],
  [mot.id]: [4, 150, 2, 2, 0, 1_000_000],
};

function answersOf(user: UserInput): string[] {
  const [s, a, r, ok, ko, money] = FIGURES[user.id]!;
  return [`${s} buổi, ${a} người`, "/bo", `tiếp nhận ${r}, thành ${ok}, không thành ${ko}`, "không", `vận động ${money}, chi 0, 0 hộ`, "/bo", "0", "Thiếu kinh phí", "không"];
}

let tg: FakeTelegram | undefined;
let bot: BotProcess | undefined;
afterEach(async () => {
  await bot?.kill("SIGKILL");
  await tg?.close();
});

describe("Telegram: commune staff and a district officer", () => {
  it("sum, track, remind, review and export across a district and two communes", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const dir = mkdtempSync(join(tmpdir(), "baocao-oversight-"));
    const path = join(dir, "bot.sqlite");
    writeFileSync(join(dir, "units.csv"), UNITS);
    const db = openDatabase(path);
    importUnits(db, readUnitsCsv(UNITS));
    const codes = {
      officer: createInvite(db, "officer", "750", new Date("2026-11-10T02:00:00Z")),
      tk: createInvite(db, "commune_staff", "25747", new Date("2026-11-10T02:00:00Z")),
      tq: createInvite(db, "commune_staff", "25750", new Date("2026-11-10T02:00:00Z")),
    };
    db.close();
    bot = startBotProcess({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      DATABASE_PATH: path,
      BOT_CLOCK_START: "2026-11-10T09:00:00+07:00",
      OUTBOX_GROUP_PER_MINUTE: "10000",
      OUTBOX_GROUP_MIN_GAP_MS: "0",
    });
    const district = new GroupDriver(tg, DISTRICT);
    const tk = new GroupDriver(tg, TAN_KHAI);
    const tq = new GroupDriver(tg, TAN_QUAN);
    await district.say(officer, `/dangky ${codes.officer}`);
    expect((await district.say(officer, "/lienket 750")).text).toContain("Huyện Hớn Quản");
    await tk.say(staffTK, `/dangky ${codes.tk}`);
    await tk.say(staffTK, "/lienket 25747");
    await tq.say(staffTQ, `/dangky ${codes.tq}`);
    await tq.say(staffTQ, "/lienket 25750");
    // Staff of one commune cannot link another commune's group.
    expect((await tq.say(staffTQ, "/lienket 25747")).text).toContain("chỉ liên kết được nhóm với xã mình phụ trách");

    for (const [g, user, area] of [[tk, tu, "Ấp Bến Đò"], [tk, hanh, "Ấp Cây Dầu"], [tk, sau, "Ấp Sóc Ruộng"], [tq, mot, "Ấp 1"]] as const) {
      const menu = await g.say(user, "/dangky");
      await g.press(user, menu, g.buttons(menu).find((b) => b.text.includes(area))!.data!);
    }
    // Tư and Hạnh submit in Tân Khai, Một in Tân Quan; Sáu and Ấp 2 lag.
    for (const [g, user] of [[tk, tu], [tk, hanh], [tq, mot]] as const) {
      await g.say(user, "/baocao");
      for (const a of answersOf(user)) await g.say(user, a);
    }

    // A reporter may not ask for totals; the staff of Tân Khai see only Tân Khai.
    expect((await tk.say(tu, "/tonghop")).text).toContain("chỉ dành cho cán bộ");
    const sumTK = await tk.say(staffTK, "/tonghop");
    // The answer is the chart, with the summary as its caption; the draft follows.
    expect(sumTK.method).toBe("sendPhoto");
    expect(sumTK.photo!.width).toBe(1200);
    const t = (x: number) => x.toLocaleString("de-DE"); // 4270 → "4.270", the Vietnamese grouping
    expect(sumTK.caption).toContain("Đã nộp 2/3 khu dân cư; chưa nộp: Ấp Sóc Ruộng");
    expect(sumTK.caption).toContain(`Tuyên truyền ${12 + 8} buổi/${t(3850 + 420)} lượt`);
    expect(sumTK.caption).toContain(`Hòa giải thành ${10 + 2}/${15 + 5} vụ (60%)`);
    const tkDoc = await docxText((await tk.documentAfter(sumTK)).document!.bytes);
    expect(tkDoc).toContain("Quỹ “Vì người nghèo” được 17.500.000 đồng");
    expect(tkDoc).not.toContain("Ấp 1");

    // The district sees both communes, with one column per commune plus the total.
    const sumD = await district.say(officer, "/tonghop thang 11/2026");
    // The district's chart: one row per commune, with its completeness.
    expect(sumD.method).toBe("sendPhoto");
    expect(sumD.photo!.bytes.equals(sumTK.photo!.bytes)).toBe(false);
    expect(sumD.caption).toContain("Tổng hợp tháng 11/2026 — Huyện Hớn Quản");
    expect(sumD.caption).toContain("Đã nộp 3/5 khu dân cư");
    expect(sumD.caption).toContain(`Tuyên truyền ${12 + 8 + 4} buổi/${t(3850 + 420 + 150)} lượt`);
    expect(sumD.caption).toContain(`Hòa giải thành ${10 + 2 + 2}/${15 + 5 + 2} vụ (63,6%)`);
    const dDoc = await docxText((await district.documentAfter(sumD)).document!.bytes);
    expect(dDoc).toContain("BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM HUYỆN HỚN QUẢN");
    expect(dDoc).toMatch(/Số buổi tuyên truyền, phổ biến pháp luật \| buổi \| 20 \| 4 \| 24/);

    // Progress, and a reminder that mentions the lagging leader (no username needed).
    const board = await tk.say(staffTK, "/tiendo");
    expect(board.text).toContain("📨 Đã nộp (2)");
    expect(board.text).toContain("3. Ấp Sóc Ruộng");
    const ping = await tk.say(staffTK, "/nhacnho");
    expect(ping.text).toContain("Kính nhắc Sáu (Ấp Sóc Ruộng)");
    expect(ping.entities).toEqual([expect.objectContaining({ type: "text_mention", user: expect.objectContaining({ id: sau.id }) })]);
    expect((await tk.say(staffTK, "/nhacnho")).text).toContain("Đã nhắc trong 12 giờ qua, lần này bỏ qua: Ấp Sóc Ruộng");
    // The officer's reminder reaches Tân Quan's group for Ấp 2, which nobody has registered for.
    const dPing = await district.say(officer, "/nhacnho");
    expect(dPing.text).toContain("Chưa nhắc được (chưa có người đăng ký): Ấp 2");

    // Return, fix, accept; the audit trail shows the change.
    const ret = await tk.say(staffTK, "/tralai 1 thiếu số liệu tiếp xúc cử tri");
    expect(ret.text).toContain("Lý do: thiếu số liệu tiếp xúc cử tri");
    // The progress board posted earlier is edited in place.
    const editedBoard = await tg.waitFor((s) => s.method === "editMessageText" && s.messageId === board.messageId, 10_000);
    expect(editedBoard.text).toContain("↩️ Trả lại (1): 1. Ấp Bến Đò");
    await tk.say(tu, "/sua 1 13");
    expect((await tk.say(staffTK, "/duyet 1")).text).toContain("Đã duyệt");
    expect((await tk.say(staffTK, "/lichsu 1")).text).toMatch(/Tư: Số buổi tuyên truyền, phổ biến pháp luật 12 buổi → 13 buổi/);

    // The spreadsheet reads back with the corrected figure.
    const x = await tk.say(staffTK, "/xuat");
    expect(x.document!.filename).toBe("So-lieu-thang-11-2026-Xa-Tan-Khai.xlsx");
    const sheets = await readXlsx(x.document!.bytes);
    expect(sheets[0]!.rows.find((r) => r[1] === "Ấp Bến Đò")?.[3]).toBe(13);
    expect(sheets[1]!.rows.length).toBe(2);

    // Sáu submits last in Tân Khai: the commune draft goes to its group and the district is told.
    const from = tg.sent.length;
    await tk.say(sau, "/baocao");
    for (const a of answersOf(mot)) await tk.say(sau, a);
    const notice = await tg.waitFor((s) => s.chatId === TAN_KHAI.id && s.method === "sendPhoto", 10_000, { fromIndex: from });
    expect(notice.caption).toContain("Xã Tân Khai đã hoàn thành báo cáo tháng 11/2026: 3/3 khu dân cư đã nộp");
    const communeDraft = await tk.documentAfter(notice);
    expect(communeDraft.document!.filename).toBe("Bao-cao-tong-hop-thang-11-2026-Xa-Tan-Khai.docx");
    // The group above is told in one line, without the commune's chart.
    const told = await tg.waitFor((s) => s.chatId === DISTRICT.id && (s.text ?? "").includes("Xã Tân Khai đã hoàn thành"), 10_000);
    expect(told.text).toContain("3/3");
    expect(tg.photosTo(DISTRICT.id).filter((s) => tg!.sent.indexOf(s) >= from)).toEqual([]);
  }, 90_000);
});
