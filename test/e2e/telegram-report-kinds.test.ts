// End to end with several report kinds: the real bot process on the local Telegram stand-in, started on a
// prompts directory that holds the monthly form and a quarterly one (a YAML file written by the test). Two
// leaders fill different kinds interleaved in one group; staff get the progress, totals and drafts of each kind;
// each kind's reminders fire on its own schedule; the last area to submit a kind completes that kind only. A
// second test adds a report kind the code has never seen, as a YAML file only, and runs it to its drafts.
import Database from "better-sqlite3";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram, type FakeTelegram, type SentEntry, type UserInput } from "../support/fake-telegram.js";
import { startBotProcess, until, type BotProcess } from "../support/bot-process.js";
import { GroupDriver } from "../support/telegram-driver.js";
import { promptsWith, QUARTERLY_FORM } from "../support/test-forms.js";
import { openDatabase } from "../../src/store/db.js";
import { importUnits, readUnitsCsv } from "../../src/store/units.js";
import { createInvite } from "../../src/store/invites.js";
import { docxText } from "../support/docx-text.js";

const UNITS = `code,name,level,parent_code
75,Tỉnh Đồng Nai,province,
750,Huyện Hớn Quản,district,75
25747,Xã Tân Khai,commune,750
25747-01,Ấp Bến Đò,area,25747
25747-02,Ấp Cây Dầu,area,25747
25747-03,Ấp Sóc Ruộng,area,25747
`;

const GROUP = { id: -1002000000101, type: "supergroup" as const, title: "MTTQ xã Tân Khai" };
const minh: UserInput = { id: 7102, first_name: "Minh" };
const tu: UserInput = { id: 7111, first_name: "Tư" };
const hanh: UserInput = { id: 7112, first_name: "Hạnh" };
const sau: UserInput = { id: 7113, first_name: "Sáu" };

/** The monthly form's answers: 12 sessions, 3,850 attendees, 15/10/5 mediations, 15,000,000 đồng raised. */
const MONTHLY = ["12 buổi, 3850 người", "/bo", "tiếp nhận 15, thành 10, không thành 5", "không", "vận động 15000000, chi 0, 0 hộ", "/bo", "0", "Thiếu kinh phí", "không"];

let tg: FakeTelegram | undefined;
let bot: BotProcess | undefined;
afterEach(async () => {
  await bot?.kill("SIGKILL");
  await tg?.close();
  bot = undefined;
  tg = undefined;
});

/** A database with the units and a staff invite, beside a prompts directory holding the given form files. */
function prepare(forms: Record<string, string>): { path: string; prompts: string; staffCode: string } {
  const dir = mkdtempSync(join(tmpdir(), "baocao-kinds-"));
  const path = join(dir, "bot.sqlite");
  writeFileSync(join(dir, "units.csv"), UNITS);
  const db = openDatabase(path);
  importUnits(db, readUnitsCsv(UNITS));
  const staffCode = createInvite(db, "commune_staff", "25747", new Date("2026-11-10T02:00:00Z"));
  db.close();
  return { path, prompts: promptsWith(forms), staffCode };
}

function start(path: string, prompts: string, clock: string): BotProcess {
  return startBotProcess({
    TELEGRAM_BOT_TOKEN: tg!.token,
    TELEGRAM_API_ROOT: tg!.apiRoot,
    DATABASE_PATH: path,
    PROMPTS_DIR: prompts,
    BOT_CLOCK_START: clock,
    REMINDER_INTERVAL_MS: "200",
    OUTBOX_GROUP_PER_MINUTE: "10000",
    OUTBOX_GROUP_MIN_GAP_MS: "0",
  });
}

/** Every reply the bot queued is marked sent (so a kill loses or repeats nothing the test relies on). */
async function settled(path: string): Promise<void> {
  const unsent = () => {
    const db = new Database(path, { readonly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM outbox WHERE status IN ('pending','sending')").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  await until(() => unsent() === 0, 15_000, "every queued reply marked sent");
}

/** Staff redeem their code and link the group; each leader registers by choosing their area. */
async function setUpGroup(g: GroupDriver, staffCode: string, leaders: Array<[UserInput, string]>): Promise<void> {
  expect((await g.say(minh, `/dangky ${staffCode}`)).text).toContain("cán bộ Mặt trận xã");
  expect((await g.say(minh, "/lienket 25747")).text).toContain("Đã liên kết nhóm này với Xã Tân Khai");
  for (const [user, area] of leaders) {
    const menu = await g.say(user, "/dangky");
    const done = await g.press(user, menu, g.buttons(menu).find((b) => b.text.includes(area))!.data!);
    expect(done.text).toContain(`trưởng ban công tác Mặt trận ${area}`);
  }
}

const textOf = (s: SentEntry) => s.caption ?? s.text ?? "";

describe("Telegram: two report kinds in one commune group", () => {
  it("leaders fill different kinds interleaved; staff track, sum and draft each; reminders and completion per kind", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path, prompts, staffCode } = prepare({ "txct-quy.yaml": QUARTERLY_FORM });
    bot = start(path, prompts, "2026-11-10T09:00:00+07:00");
    const g = new GroupDriver(tg, GROUP);
    await setUpGroup(g, staffCode, [[tu, "Ấp Bến Đò"], [hanh, "Ấp Cây Dầu"], [sau, "Ấp Sóc Ruộng"]]);

    // Staff post the board of every open kind before anyone submits.
    const board = await g.say(minh, "/tiendo");
    expect(board.text).toContain("Tiến độ các báo cáo — Xã Tân Khai");
    expect(board.text).toContain("1. Báo cáo tháng — tháng 11/2026\nHạn nộp 16/11/2026, còn 6 ngày.");
    expect(board.text).toContain("2. Tiếp xúc cử tri — quý IV/2026\nHạn nộp 14/12/2026, còn 34 ngày.");

    // Tư chooses the monthly report from the choice; Hạnh names the quarterly one. Their answers interleave.
    const from = tg.sent.length;
    const menu = await g.say(tu, "/baocao");
    expect(g.buttons(menu).map((b) => b.text)).toEqual(["1. Báo cáo tháng — tháng 11/2026", "2. Tiếp xúc cử tri — quý IV/2026"]);
    expect((await g.press(tu, menu, "pf:mttq_dinh_ky")).text).toContain("nhập báo cáo tháng 11/2026 (Báo cáo tháng) của Ấp Bến Đò");
    expect((await g.say(hanh, "/baocao txct")).text).toContain("nhập báo cáo quý IV/2026 (Tiếp xúc cử tri) của Ấp Cây Dầu (hạn 14/12)");
    await g.say(tu, MONTHLY[0]!);
    expect(textOf(await g.say(hanh, "5 điểm, 250 cử tri, 9 kiến nghị"))).toContain("Ấp Cây Dầu đã hoàn thành báo cáo quý IV/2026 (Tiếp xúc cử tri) ✅");
    for (const a of MONTHLY.slice(1)) await g.say(tu, a);

    // Each gets the draft of their own kind, in its own words.
    const hanhDraft = await g.draftFor("Ấp Cây Dầu", from);
    expect(hanhDraft.document!.filename).toBe("Bao-cao-tiep-xuc-cu-tri-quy-IV-2026-Ap-Cay-Dau.docx");
    const hanhText = await docxText(hanhDraft.document!.bytes);
    expect(hanhText).toContain("Kết quả phối hợp tổ chức tiếp xúc cử tri quý IV/2026");
    expect(hanhText).toContain("đã phối hợp tổ chức tiếp xúc cử tri tại 5 điểm, thu hút 250 cử tri tham dự; cử tri nêu 9 ý kiến, kiến nghị.");
    expect(hanhText).not.toContain("tuyên truyền");
    const tuDraft = await g.draftFor("Ấp Bến Đò", from);
    expect(tuDraft.document!.filename).toBe("Bao-cao-thang-11-2026-Ap-Ben-Do.docx");
    const tuText = await docxText(tuDraft.document!.bytes);
    expect(tuText).toContain("12 buổi");
    expect(tuText).not.toContain("tiếp xúc cử tri tại");

    // The board posted earlier shows each kind's own submission.
    await until(
      () => tg!.sent.some((s) => s.method === "editMessageText" && s.messageId === board.messageId && (s.text ?? "").includes("📨 Đã nộp (1): 1. Ấp Bến Đò")),
      15_000,
      "the board refreshed with the monthly submission",
    );
    const edited = tg.sent.filter((s) => s.method === "editMessageText" && s.messageId === board.messageId).at(-1)!;
    expect(edited.text).toMatch(/1\. Báo cáo tháng — tháng 11\/2026\nHạn nộp 16\/11\/2026, còn 6 ngày\.\n📨 Đã nộp \(1\): 1\. Ấp Bến Đò/);
    expect(edited.text).toMatch(/2\. Tiếp xúc cử tri — quý IV\/2026\nHạn nộp 14\/12\/2026, còn 34 ngày\.\n📨 Đã nộp \(1\): 2\. Ấp Cây Dầu/);

    // Totals and drafts per kind: by short name, by number, or chosen.
    const sumQ = await g.say(minh, "/tonghop txct");
    expect(textOf(sumQ)).toContain("Tổng hợp quý IV/2026 (Tiếp xúc cử tri) — Xã Tân Khai");
    expect(textOf(sumQ)).toContain("Đã nộp 1/3 khu dân cư");
    expect(textOf(sumQ)).toContain("Tiếp xúc cử tri 5 điểm/250 cử tri, 9 kiến nghị");
    const sumQDoc = await g.documentAfter(sumQ);
    expect(sumQDoc.document!.filename).toBe("Bao-cao-tong-hop-tiep-xuc-cu-tri-quy-IV-2026-Xa-Tan-Khai.docx");
    const sumQText = await docxText(sumQDoc.document!.bytes);
    expect(sumQText).toContain("báo cáo kết quả phối hợp tổ chức tiếp xúc cử tri quý IV/2026 ở các khu dân cư như sau:");
    expect(sumQText).toContain("Các khu dân cư đã phối hợp tổ chức tiếp xúc cử tri tại 5 điểm, thu hút 250 cử tri tham dự");
    expect(sumQText).not.toContain("tuyên truyền");
    const sumM = await g.say(minh, "/tonghop 1");
    expect(textOf(sumM)).toContain("Tổng hợp tháng 11/2026 (Báo cáo tháng) — Xã Tân Khai");
    expect(textOf(sumM)).toContain("Tuyên truyền 12 buổi/3.850 lượt");
    const sumMText = await docxText((await g.documentAfter(sumM)).document!.bytes);
    expect(sumMText).toContain("12 buổi tuyên truyền, phổ biến, giáo dục pháp luật, thu hút 3.850 lượt người tham dự");
    expect(sumMText).not.toContain("tiếp xúc cử tri tại");
    const ask = await g.say(minh, "/tonghop");
    expect(g.buttons(ask).map((b) => b.text)).toEqual(["1. Báo cáo tháng — tháng 11/2026", "2. Tiếp xúc cử tri — quý IV/2026"]);
    expect(textOf(await g.press(minh, ask, "pf:txct_quy"))).toContain("Tổng hợp quý IV/2026 (Tiếp xúc cử tri)");
    const one = await g.say(minh, "/tiendo txct");
    expect(one.text).toMatch(/^Tiến độ báo cáo quý IV\/2026 \(Tiếp xúc cử tri\) — Xã Tân Khai\nHạn nộp 14\/12\/2026/);
    expect(one.text).toContain("📨 Đã nộp (1): 2. Ấp Cây Dầu");

    // 14/11, seconds before 08:00: both kinds' reminders fire, each naming only those who owe that kind.
    await settled(path);
    await bot.kill("SIGKILL");
    const beforeRestart = tg.sent.length;
    bot = start(path, prompts, "2026-11-14T07:59:58+07:00");
    const pingsSent = () => tg!.sent.slice(beforeRestart).filter((s) => s.chatId === GROUP.id && (s.text ?? "").includes("Kính nhắc"));
    await until(() => pingsSent().length >= 2, 20_000, "a reminder of each kind");
    await settled(path);
    const pings = pingsSent().map((s) => s.text!);
    expect(pings).toHaveLength(2);
    const monthlyPing = pings.find((t) => t.includes("tháng 11/2026 (Báo cáo tháng)"))!;
    expect(monthlyPing).toContain("Hạnh (Ấp Cây Dầu)");
    expect(monthlyPing).toContain("Sáu (Ấp Sóc Ruộng)");
    expect(monthlyPing).not.toContain("Ấp Bến Đò");
    expect(monthlyPing).toContain("hạn nộp 16/11 (còn 2 ngày). Anh/chị gõ /baocao thang để nhập");
    const quarterlyPing = pings.find((t) => t.includes("quý IV/2026 (Tiếp xúc cử tri)"))!;
    expect(quarterlyPing).toContain("Tư (Ấp Bến Đò)");
    expect(quarterlyPing).toContain("Sáu (Ấp Sóc Ruộng)");
    expect(quarterlyPing).not.toContain("Ấp Cây Dầu");
    expect(quarterlyPing).toContain("hạn nộp 14/12 (còn 30 ngày). Anh/chị gõ /baocao txct để nhập");

    // Tư and Sáu submit the quarterly report: the commune completes that kind, and its draft goes out once.
    const beforeDone = tg.sent.length;
    await g.say(tu, "/baocao txct");
    await g.say(tu, "2 điểm, 300 cử tri, 15 kiến nghị");
    await g.say(sau, "/baocao 2");
    await g.say(sau, "1 điểm, 120 cử tri, 4 kiến nghị");
    const notice = await tg.waitFor((s) => s.chatId === GROUP.id && textOf(s).includes("Xã Tân Khai đã hoàn thành báo cáo"), 15_000, { fromIndex: beforeDone });
    expect(textOf(notice)).toContain("Xã Tân Khai đã hoàn thành báo cáo quý IV/2026 (Tiếp xúc cử tri): 3/3 khu dân cư đã nộp");
    const communeDraft = await g.documentAfter(notice);
    expect(communeDraft.document!.filename).toBe("Bao-cao-tong-hop-tiep-xuc-cu-tri-quy-IV-2026-Xa-Tan-Khai.docx");
    expect(await docxText(communeDraft.document!.bytes)).toContain("tiếp xúc cử tri tại 8 điểm, thu hút 670 cử tri tham dự; cử tri nêu 28 ý kiến, kiến nghị.");
    await settled(path);
    // The monthly report is still open for two areas: no completion of it.
    expect(tg.sent.slice(beforeDone).filter((s) => textOf(s).includes("hoàn thành báo cáo tháng 11/2026"))).toEqual([]);
    expect(textOf(await g.say(minh, "/tonghop thang"))).toContain("Đã nộp 1/3 khu dân cư");
  }, 150_000);

  it("a report kind added as a YAML file only runs end to end to its drafts", async () => {
    tg = await startFakeTelegram({ privacyMode: true, rateLimits: false });
    const { path, prompts, staffCode } = prepare({ "khu-dan-cu-van-hoa.yaml": YEARLY_FORM });
    bot = start(path, prompts, "2026-11-10T09:00:00+07:00");
    const g = new GroupDriver(tg, GROUP);
    await setUpGroup(g, staffCode, [[tu, "Ấp Bến Đò"]]);

    const from = tg.sent.length;
    const q = await g.say(tu, "/baocao kdcvh");
    expect(q.text).toContain("nhập báo cáo năm 2026 (Khu dân cư văn hóa) của Ấp Bến Đò (hạn 10/12)");
    expect(q.text).toContain("Năm nay khu dân cư có bao nhiêu hộ, bao nhiêu hộ đạt danh hiệu gia đình văn hóa?");
    expect((await g.say(tu, "420 hộ, 398 hộ đạt")).text).toContain("Khu dân cư có được công nhận khu dân cư văn hóa năm nay không?");
    expect(textOf(await g.say(tu, "có"))).toContain("Ấp Bến Đò đã hoàn thành báo cáo năm 2026 (Khu dân cư văn hóa) ✅");
    const draft = await g.draftFor("Ấp Bến Đò", from);
    expect(draft.document!.filename).toBe("Bao-cao-khu-dan-cu-van-hoa-nam-2026-Ap-Ben-Do.docx");
    const text = await docxText(draft.document!.bytes);
    expect(text).toContain("BÁO CÁO\nKết quả bình xét khu dân cư văn hóa năm 2026\n");
    expect(text).toContain("Ban công tác Mặt trận ấp Bến Đò báo cáo kết quả bình xét gia đình văn hóa, khu dân cư văn hóa năm 2026 như sau:");
    expect(text).toContain("Toàn khu dân cư có 398/420 hộ đạt danh hiệu gia đình văn hóa.");
    expect(text).toContain("Khu dân cư được công nhận khu dân cư văn hóa.");
    expect(text).toContain("Trên đây là báo cáo kết quả bình xét khu dân cư văn hóa năm 2026 của Ban công tác Mặt trận ấp Bến Đò./.");
    expect(text).not.toContain("công tác Mặt trận năm");

    const sum = await g.say(minh, "/tonghop kdcvh");
    expect(textOf(sum)).toContain("Tổng hợp năm 2026 (Khu dân cư văn hóa) — Xã Tân Khai");
    expect(textOf(sum)).toContain("Đã nộp 1/3 khu dân cư");
    const sumDoc = await g.documentAfter(sum);
    expect(sumDoc.document!.filename).toBe("Bao-cao-tong-hop-khu-dan-cu-van-hoa-nam-2026-Xa-Tan-Khai.docx");
    const sumText = await docxText(sumDoc.document!.bytes);
    expect(sumText).toContain("Ban Thường trực Ủy ban MTTQ Việt Nam xã Tân Khai báo cáo kết quả bình xét khu dân cư văn hóa năm 2026 như sau:");
    expect(sumText).toContain("Các khu dân cư có 398/420 hộ đạt danh hiệu gia đình văn hóa.");
    expect(sumText).toMatch(/Được công nhận khu dân cư văn hóa \| {2}\| Có \| - \| - \| 1\/1/);
    expect(sumText).not.toContain("công tác Mặt trận năm");
  }, 120_000);
});

/** A yearly report kind the code has never seen: a culture-area review with a yes/no, offered from 60 days before its deadline. */
const YEARLY_FORM = `
id: kdc_van_hoa
short: kdcvh
name: Khu dân cư văn hóa
title: Báo cáo kết quả bình xét khu dân cư văn hóa
subject: Kết quả bình xét khu dân cư văn hóa
period:
  kind: year
  cutoff: calendar
  deadline: { day: 10, month_offset: 0 }
collect: { days_before_deadline: 60 }
report_frame:
  area:
    intro:
      - "Thực hiện hướng dẫn của Ban Thường trực Ủy ban MTTQ Việt Nam {commune}, Ban công tác Mặt trận {area} báo cáo kết quả bình xét gia đình văn hóa, khu dân cư văn hóa {period} như sau:"
    closing: Trên đây là báo cáo kết quả bình xét khu dân cư văn hóa {period} của Ban công tác Mặt trận {area}./.
    appendix_subtitle: (Kèm theo Báo cáo kết quả bình xét khu dân cư văn hóa {period} của Ban công tác Mặt trận {area})
  summary:
    intro:
      - "Ban Thường trực Ủy ban MTTQ Việt Nam {unit} báo cáo kết quả bình xét khu dân cư văn hóa {period} như sau:"
    closing: Trên đây là báo cáo kết quả bình xét khu dân cư văn hóa {period} của Ban Thường trực Ủy ban MTTQ Việt Nam {unit}./.
    appendix_subtitle: (Kèm theo Báo cáo kết quả bình xét khu dân cư văn hóa {period} của Ban Thường trực Ủy ban MTTQ Việt Nam {unit})
  files:
    area: "Báo cáo khu dân cư văn hóa {period} - {unit}.docx"
    summary: "Báo cáo tổng hợp khu dân cư văn hóa {period} - {unit}.docx"
sections:
  - id: gia_dinh
    title: Gia đình văn hóa
    short: Gia đình văn hóa
    prompt: Năm nay khu dân cư có bao nhiêu hộ, bao nhiêu hộ đạt danh hiệu gia đình văn hóa?
    prompt_example: 420 hộ, 398 hộ đạt
    together: [vh_tong_ho, vh_ho_dat]
    fields:
      - { id: vh_tong_ho, kind: count, unit: hộ, label: Tổng số hộ, question: Khu dân cư có bao nhiêu hộ?, example: "420", units: [ho], plausible: { max: 5000 } }
      - { id: vh_ho_dat, kind: count, unit: hộ, label: Số hộ đạt gia đình văn hóa, question: Bao nhiêu hộ đạt danh hiệu gia đình văn hóa?, example: "398", units: [ho dat], plausible: { max: 5000 } }
    report:
      sentences:
        - when: { field: vh_tong_ho, gt: 0 }
          text: Toàn khu dân cư có {vh_ho_dat}/{vh_tong_ho} hộ đạt danh hiệu gia đình văn hóa.
      summary_sentences:
        - when: { field: vh_tong_ho, gt: 0 }
          text: Các khu dân cư có {vh_ho_dat}/{vh_tong_ho} hộ đạt danh hiệu gia đình văn hóa.
      empty: Chưa có số liệu bình xét gia đình văn hóa.
    summary: Gia đình văn hóa {vh_ho_dat}/{vh_tong_ho} hộ
  - id: cong_nhan
    title: Công nhận khu dân cư văn hóa
    short: Công nhận
    prompt: Khu dân cư có được công nhận khu dân cư văn hóa năm nay không?
    prompt_example: có
    fields:
      - { id: vh_cong_nhan, kind: yesno, label: Được công nhận khu dân cư văn hóa, question: Khu dân cư có được công nhận khu dân cư văn hóa năm nay không?, example: "có" }
    report:
      sentences:
        - when: { field: vh_cong_nhan, equals: true }
          text: Khu dân cư được công nhận khu dân cư văn hóa.
      empty: Khu dân cư chưa được công nhận khu dân cư văn hóa.
`;
