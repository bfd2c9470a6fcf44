// End to end, once per platform: /tonghop and a commune's completion bring the summary chart as a photo, the
// summary riding as its caption, and the draft as before (a document after it on Telegram, a link in the caption
// on Zalo). Zalo fetches the photo from the bot's own expiring link, which answers 410 once expired. The PNGs are
// left in test-output/charts/ to be looked at.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { docxText } from "../support/docx-text.js";
import { ROOT } from "../../src/paths.js";
import { until } from "../support/bot-process.js";
import { imageSize } from "../support/fake-telegram.js";
import { ANSWERS, CLOCK_START, hanh, minh, tu, type Person } from "../support/reporting-data.js";
import { ZaloReportingDriver, reportingDrivers, type ChartPhoto, type ReportingDriver } from "../support/reporting-drivers.js";

/** A commune of two areas, so that its completion is within reach. */
const UNITS = `code,name,level,parent_code
75,Tỉnh Đồng Nai,province,
25747,Xã Tân Khai,commune,75
25747-01,Ấp Bến Đò,area,25747
25747-02,Ấp Cây Dầu,area,25747
`;
const OUT = join(ROOT, "test-output", "charts");

/** Waits until every reply the bot queued is marked sent. */
async function settled(dbPath: string): Promise<void> {
  const unsent = () => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM outbox WHERE status IN ('pending','sending')").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  await until(() => unsent() === 0, 15_000, "every queued reply marked sent");
}

async function setUp(d: ReportingDriver): Promise<void> {
  await d.start();
  expect(await d.say(minh, `/dangky ${d.staffCode}`)).toContain("cán bộ Mặt trận xã");
  expect(await d.say(minh, "/lienket 25747")).toContain("Đã liên kết nhóm này với Xã Tân Khai");
  for (const [user, area] of [[tu, "Ấp Bến Đò"], [hanh, "Ấp Cây Dầu"]] as const) {
    expect(await d.say(user, "/dangky")).toContain(area);
    await d.choose(user, area);
  }
}

async function fill(d: ReportingDriver, user: Person): Promise<void> {
  await d.say(user, "/baocao");
  for (const a of ANSWERS[user.id]!) await d.say(user, a);
}

/** A chart as a person gets it: one PNG, 1.200 px wide, readable on a phone, under 300 KB. */
function expectChart(photo: ChartPhoto, name: string): void {
  expect(photo.png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  const size = imageSize(photo.png)!;
  expect(size.width).toBe(1200);
  expect(size.height).toBeGreaterThan(400);
  expect(size.height).toBeLessThan(2000);
  expect(photo.png.length).toBeLessThan(300 * 1024);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, name), photo.png);
}

describe.each(reportingDrivers({ units: UNITS }).map((x) => [x.name, x.create] as const))("%s: the chart in the chat", (name, create) => {
  let d: ReportingDriver | undefined;
  afterEach(async () => {
    await d?.stop();
    d = undefined;
  });

  it("/tonghop brings the chart with the summary and the draft; the commune's completion brings one too", async () => {
    d = create();
    await setUp(d);
    await fill(d, tu);
    await settled(d.dbPath);

    const since = d.mark();
    const reply = await d.say(minh, "/tonghop");
    expect(reply).toContain("Tổng hợp tháng 11/2026 — Xã Tân Khai");
    expect(reply).toContain("Đã nộp 1/2 khu dân cư");
    const [chart, ...more] = await d.chartPhotos(since);
    expect(more).toEqual([]);
    expect(chart!.caption).toContain("Tổng hợp tháng 11/2026 — Xã Tân Khai");
    expect(chart!.caption).toContain("Tuyên truyền 12 buổi/3.850 lượt");
    expectChart(chart!, `${name.toLowerCase()}-tonghop.png`);
    const draft = await d.lastDraft("Xã Tân Khai", since);
    expect(await docxText(draft.bytes)).toContain("12 buổi tuyên truyền, phổ biến, giáo dục pháp luật, thu hút 3.850 lượt người tham dự");
    await settled(d.dbPath);
    // Fewest messages that keep it readable: on Telegram the photo and the document; on Zalo one photo whose
    // caption carries the summary and the draft's link.
    const posted = d.groupTexts(since);
    if (d.platform === "telegram") {
      expect(posted).toHaveLength(2);
      expect(posted[1]).toBe("📄 Bản nháp báo cáo để anh/chị chỉnh sửa: Báo cáo tổng hợp tháng 11-2026 - Xã Tân Khai.docx");
    } else {
      expect(posted).toHaveLength(1);
      expect(posted[0]).toContain("📄 Tải tệp “Báo cáo tổng hợp tháng 11-2026 - Xã Tân Khai.docx”");
    }
    expect(d.everyTurnAnsweredOnce()).toBe(true);

    // The last area submits: the commune's notice comes with its chart, both areas in.
    const before = d.mark();
    await fill(d, hanh);
    const [done] = await d.chartPhotos(before);
    expect(done!.caption).toContain("Xã Tân Khai đã hoàn thành báo cáo tháng 11/2026: 2/2 khu dân cư đã nộp ✅");
    expect(done!.caption).toContain("Tuyên truyền 20 buổi/4.270 lượt");
    expectChart(done!, `${name.toLowerCase()}-hoan-thanh.png`);
    expect(done!.png.equals(chart!.png)).toBe(false);
    expect(await docxText((await d.lastDraft("Xã Tân Khai", before)).bytes)).toContain("thu hút 4.270 lượt người tham dự");
  });
});

/** A province of 31 communes (one area each): its chart has more rows than one picture holds. */
const PROVINCE = [
  "code,name,level,parent_code",
  "75,Tỉnh Đồng Nai,province,",
  ...Array.from({ length: 31 }, (_, i) => [`${26000 + i},Xã Số ${i + 1},commune,75`, `${26000 + i}-01,Ấp Một ${i + 1},area,${26000 + i}`]).flat(),
].join("\n");

describe.each(reportingDrivers({ units: PROVINCE, staff: { role: "officer", unit: "75" } }).map((x) => [x.name, x.create] as const))(
  "%s: a chart of several pictures",
  (name, create) => {
    let d: ReportingDriver | undefined;
    afterEach(async () => {
      await d?.stop();
      d = undefined;
    });

    it("goes as one album (Telegram) or consecutive photos (Zalo), the summary with it once", async () => {
      d = create();
      await d.start();
      await d.say(minh, `/dangky ${d.staffCode}`);
      expect(await d.say(minh, "/lienket 75")).toContain("Tỉnh Đồng Nai");
      const since = d.mark();
      const reply = await d.say(minh, "/tonghop");
      expect(reply).toContain("Tổng hợp tháng 11/2026 — Tỉnh Đồng Nai");
      const pages = await d.chartPhotos(since);
      expect(pages).toHaveLength(2);
      pages.forEach((page, i) => expectChart(page, `${name.toLowerCase()}-tinh-${i + 1}.png`));
      const withSummary = pages.filter((p) => p.caption.includes("Tổng hợp tháng 11/2026 — Tỉnh Đồng Nai"));
      expect(withSummary).toHaveLength(1);
      // Telegram shows the album's caption under it (the first photo's); on Zalo the text rides with the last photo,
      // the one people see first, and each photo says which page it is.
      expect(pages.indexOf(withSummary[0]!)).toBe(d.platform === "telegram" ? 0 : 1);
      if (d.platform === "zalo") expect(pages[0]!.caption).toContain("(trang 1/2)");
      await d.lastDraft("Tỉnh Đồng Nai", since);
    });
  },
);

describe("Zalo: the chart's link", () => {
  let d: ZaloReportingDriver | undefined;
  afterEach(async () => {
    await d?.stop();
    d = undefined;
  });

  it("is the PNG itself, unguessable, kept across a restart and refused with 410 once expired", async () => {
    d = new ZaloReportingDriver({ units: UNITS });
    await setUp(d);
    await fill(d, tu);
    const since = d.mark();
    await d.say(minh, "tong hop");
    const [chart] = await d.chartPhotos(since);
    expect(chart!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/[A-Za-z0-9_-]{43}\/Bieu-do-thang-11-2026-Xa-Tan-Khai\.png$/);
    const res = await fetch(chart!.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-disposition")).toMatch(/^inline; filename="Bieu-do-thang-11-2026-Xa-Tan-Khai\.png"/);
    expect(Buffer.from(await res.arrayBuffer()).equals(chart!.png)).toBe(true);

    await d.killBot("SIGTERM");
    await d.startBot();
    expect((await fetch(chart!.url!)).status).toBe(200);
    await d.killBot("SIGTERM");
    d.opts.env = { BOT_CLOCK_START: new Date(new Date(CLOCK_START).getTime() + 73 * 3_600_000).toISOString() };
    await d.startBot();
    expect((await fetch(chart!.url!)).status).toBe(410);
  });
});
