import { afterEach, describe, expect, it } from "vitest";
import { FULL_FORM_ANSWERS, GROUP, Harness } from "../support/harness.js";
import { HttpServer } from "../../src/app/http-server.js";
import { WebView, serveWebView } from "../../src/app/web/web-view.js";
import { docxText } from "../support/docx-text.js";
import { readXlsx } from "../support/read-xlsx.js";
import { TelegramTransport } from "../../src/adapters/telegram/transport.js";
import type { Api } from "grammy";
import { SqlWorld } from "../../src/store/sql-world.js";
import { WebLinkStore } from "../../src/store/web-links.js";

const tu = { id: "101", name: "Tư" };
const minh = { id: "103", name: "Minh" };
const lan = { id: "104", name: "Lan" };
const quan = { id: "105", name: "Quân" };
const PRIVATE = (who: { id: string }) => who.id;

let h: Harness;
let http: HttpServer;
let base = "";
afterEach(async () => {
  await http?.close();
  h?.close();
});

async function setup(): Promise<void> {
  http = new HttpServer();
  h = new Harness("2026-11-10T09:00:00+07:00", ":memory:", { baseUrl: () => base, hours: 72 });
  serveWebView(http, new WebView(new SqlWorld(h.core.db), new WebLinkStore(h.core.db), h.core.prompts, h.clock, h.core.documents));
  const port = await http.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${port}`;
  h.link(GROUP, "25747");
  h.grant(minh, "commune_staff", "25747");
  h.grant(lan, "commune_staff", "25750");
  h.grant(quan, "officer", "75");
  h.grant(tu, "reporter", "25747-01");
  await h.say(tu, "/baocao");
  for (const a of FULL_FORM_ANSWERS) await h.say(tu, a);
}

/** /web in a private chat; the link from the reply. */
async function webLink(who: { id: string; name: string }, args = ""): Promise<{ text: string; url?: string }> {
  const [msg] = await h.say(who, `/web${args ? ` ${args}` : ""}`, { chatId: PRIVATE(who) });
  return { text: msg!.text, url: /(http:\/\/\S+\/web\/\S+)/.exec(msg!.text)?.[1] };
}

async function get(url: string): Promise<{ status: number; type: string; body: string; bytes: Buffer; headers: Headers }> {
  const res = await fetch(url);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: bytes.toString("utf8"), bytes, headers: res.headers };
}

/** The page's text without tags, as a person reads it. */
const visible = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("/web", () => {
  it("gives commune staff a personal link, in a private chat only, and never to a reporter", async () => {
    await setup();
    expect((await h.say(minh, "/web"))[0]!.text).toContain("chỉ dùng khi nhắn riêng");
    expect((await webLink(tu)).text).toContain("chỉ dành cho cán bộ");
    const link = await webLink(minh);
    expect(link.text).toContain("trang theo dõi xã Tân Khai");
    expect(link.text).toContain("dùng được đến 09:00 ngày 13/11/2026");
    expect(link.url).toMatch(/\/web\/[A-Za-z0-9_-]{43}$/);
    const [msg] = h.transport.sent.slice(-1);
    expect(msg!.webApp).toEqual({ label: "Mở trang theo dõi", url: link.url });
    // Only a hash of the token is stored.
    const token = link.url!.split("/").pop()!;
    const stored = h.core.db.prepare("SELECT token_hash FROM web_links").all() as Array<{ token_hash: string }>;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(token);
  });

  it("says so politely where no web view is served (the simulator)", async () => {
    h = new Harness();
    h.grant(minh, "commune_staff", "25747");
    expect((await h.say(minh, "/web", { chatId: PRIVATE(minh) }))[0]!.text).toContain("chưa bật trang web theo dõi");
    expect(h.core.db.prepare("SELECT count(*) AS n FROM web_links").get()).toEqual({ n: 0 });
  });

  it("shows the unit's progress, totals, chart, figures and downloads, and nothing of another commune", async () => {
    await setup();
    const { url } = await webLink(minh);
    const page = await get(url!);
    expect(page.status).toBe(200);
    expect(page.type).toBe("text/html; charset=utf-8");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.body).toContain('<html lang="vi">');
    expect(page.body).not.toContain("<script");
    const text = visible(page.body);
    expect(text).toContain("Xã Tân Khai");
    expect(text).toContain("Kết quả công tác Mặt trận tháng 11/2026");
    expect(text).toContain("Hạn nộp 16/11/2026, còn 6 ngày.");
    expect(text).toContain("Đã nộp 1/8 khu dân cư.");
    expect(text).toContain("1. Ấp Bến Đò");
    expect(text).toContain("Chưa nộp");
    expect(text).toContain("Số lượt người tham dự lượt người 3.850");
    expect(text).toContain("Tỷ lệ hòa giải thành % 66,7");
    expect(text).not.toContain("Ấp Đồng Tâm");
    // Returned with a reason: the page says it, as /tiendo does.
    await h.say(minh, "/tralai 1 thiếu số liệu tiếp xúc cử tri");
    expect(visible((await get(url!)).body)).toContain("Trả lại: thiếu số liệu tiếp xúc cử tri");
    expect(page.body).toMatch(/<th scope="col">Khu dân cư<\/th>/);

    const hrefs = [...page.body.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
    const chart = await get(base + hrefs.find((x) => x.includes("/bieu-do.png"))!);
    expect(chart.type).toBe("image/png");
    expect(chart.bytes.readUInt32BE(16)).toBe(1200);
    const draft = await get(base + hrefs.find((x) => x.includes("/tong-hop.docx"))!);
    expect(draft.headers.get("content-disposition")).toContain("attachment");
    expect(await docxText(draft.bytes)).toContain("BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM XÃ TÂN KHAI");
    const sheet = await get(base + hrefs.find((x) => x.includes("/so-lieu.xlsx"))!);
    expect(JSON.stringify(await readXlsx(sheet.bytes))).toContain("Ấp Bến Đò");
    const area = await get(base + hrefs.find((x) => x.includes("/khu.docx"))!);
    expect(await docxText(area.bytes)).toContain("BAN CÔNG TÁC MẶT TRẬN ẤP BẾN ĐÒ");

    // Another commune, by its code in the address: a polite page and no data.
    for (const other of [`${url}?dv=25750`, `${url}/tong-hop.docx?dv=25750&bm=mttq_dinh_ky&ky=2026-M11`, `${url}/khu.docx?dv=25750-01&bm=mttq_dinh_ky&ky=2026-M11`]) {
      const denied = await get(other);
      expect(denied.status).toBe(403);
      expect(visible(denied.body)).toContain("nằm ngoài đơn vị anh/chị phụ trách");
      expect(denied.body).not.toContain("Tân Quan");
    }
  });

  it("an officer sees every commune below, and opens one", async () => {
    await setup();
    const { url } = await webLink(quan);
    const text = visible((await get(url!)).body);
    expect(text).toContain("Tỉnh Đồng Nai");
    expect(text).toContain("1. Xã Tân Khai");
    expect(text).toContain("1/8 khu dân cư đã nộp");
    expect(text).toContain("Xã Tân Quan");
    const commune = visible((await get(`${url}?dv=25747`)).body);
    expect(commune).toContain("← Tỉnh Đồng Nai");
    expect(commune).toContain("1. Ấp Bến Đò");
  });

  it("a forged, expired, replaced or revoked link shows a polite page and no data", async () => {
    await setup();
    const first = (await webLink(minh)).url!;
    const forged = `${first.slice(0, -4)}AAAA`;
    for (const [url, status, words] of [
      [forged, 404, "đường dẫn này không đúng"],
      [`${base}/web/abc`, 404, "đường dẫn này không đúng"],
      [`${base}/web/`, 404, "đường dẫn này không đúng"],
    ] as const) {
      const res = await get(url);
      expect(res.status).toBe(status);
      expect(visible(res.body)).toContain(words);
      expect(res.body).not.toContain("Ấp Bến Đò");
    }
    // A new /web replaces the old link.
    const second = (await webLink(minh)).url!;
    expect((await get(first)).status).toBe(410);
    expect(visible((await get(first)).body)).toContain("đã được thu hồi");
    expect((await get(second)).status).toBe(200);
    // Revoked by the person.
    expect((await webLink(minh, "tắt")).text).toContain("đã thu hồi đường dẫn");
    const revoked = await get(second);
    expect(revoked.status).toBe(410);
    expect(revoked.body).not.toContain("Ấp Bến Đò");
    // Expired after 72 hours.
    const third = (await webLink(minh)).url!;
    h.clock.advance(72 * 3_600_000 + 1);
    const expired = await get(third);
    expect(expired.status).toBe(410);
    expect(visible(expired.body)).toContain("đã hết hạn");
    expect(expired.body).not.toContain("Ấp Bến Đò");
  });

  it("stops working the moment the person's role is revoked", async () => {
    await setup();
    const { url } = await webLink(minh);
    expect((await get(url!)).status).toBe(200);
    h.core.db.prepare("UPDATE roles SET revoked_at = ? WHERE user_id = ?").run(h.clock.now().toISOString(), minh.id);
    const res = await get(url!);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain("Ấp Bến Đò");
  });
});

describe("the /web reply on Telegram", () => {
  async function markupFor(url: string): Promise<unknown> {
    let markup: unknown;
    const api = { sendMessage: async (_chat: string, _text: string, opts: { reply_markup?: unknown }) => ((markup = opts.reply_markup), { message_id: 1 }) };
    const transport = new TelegramTransport(api as unknown as Api, { groupPerMinute: 20, privateMinGapMs: 0, groupMinGapMs: 0, botUsername: () => "bot", messages: h.core.prompts.messages });
    await transport.deliver("42", { text: `Dạ, đây là đường dẫn: ${url}`, webApp: { label: "Mở trang theo dõi", url } });
    return markup;
  }

  it("is a Mini App button when the address is HTTPS, and the link alone otherwise", async () => {
    expect(await markupFor("https://bot.example.vn/web/abc")).toEqual({ inline_keyboard: [[{ text: "Mở trang theo dõi", web_app: { url: "https://bot.example.vn/web/abc" } }]] });
    expect(await markupFor("http://127.0.0.1:8080/web/abc")).toBeUndefined();
  });
});
