// Draft download links: unguessable, stored in SQLite (they survive a restart), served with the right type and
// a Vietnamese file name, refused once expired (410) or when the token is wrong (404).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { openDatabase, type DB } from "../../src/store/db.js";
import { HttpServer } from "../../src/app/http-server.js";
import { DOCX_TYPE, FileLinkStore, asciiFilename, contentDisposition, serveFileLinks } from "../../src/app/file-links.js";
import { FileLinkRows } from "../../src/store/file-link-rows.js";

const FILE = { filename: "Bao-cao-thang-11-2026-Ap-Ben-Do.docx", displayName: "Báo cáo tháng 11-2026 - Ấp Bến Đò.docx", bytes: Buffer.from("PK\u0003\u0004 docx bytes") };
const HOUR = 3_600_000;

let db: DB | undefined;
let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close();
  db?.close();
  http = undefined;
  db = undefined;
});

function store(path: string, clock: ManualClock, base = "http://127.0.0.1:1") {
  db = openDatabase(path);
  return new FileLinkStore(new FileLinkRows(db), clock, { ttlMs: 72 * HOUR, baseUrl: () => base });
}

describe("file links", () => {
  it("issues an unguessable link that works until it expires", () => {
    const clock = new ManualClock("2026-11-10T02:00:00Z");
    const s = store(":memory:", clock);
    const a = s.issue(FILE);
    const b = s.issue(FILE);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.url).toBe(`http://127.0.0.1:1/files/${a.token}/Bao-cao-thang-11-2026-Ap-Ben-Do.docx`);
    expect(a.expiresAt.toISOString()).toBe("2026-11-13T02:00:00.000Z");
    expect(s.lookup(a.token)).toMatchObject({ status: "ok", contentType: DOCX_TYPE, displayName: FILE.displayName });
    clock.advance(72 * HOUR - 1);
    expect(s.lookup(a.token).status).toBe("ok");
    clock.advance(1);
    expect(s.lookup(a.token).status).toBe("expired");
    expect(s.lookup("x".repeat(43)).status).toBe("missing");
    expect(s.lookup("../../etc/passwd").status).toBe("missing");
  });

  it("survives a restart: the link is in the database", () => {
    const path = join(mkdtempSync(join(tmpdir(), "baocao-links-")), "bot.sqlite");
    const clock = new ManualClock("2026-11-10T02:00:00Z");
    const issued = store(path, clock).issue(FILE);
    db!.close();
    const again = store(path, clock);
    const found = again.lookup(issued.token);
    expect(found.status).toBe("ok");
    expect(found.status === "ok" && found.bytes.equals(FILE.bytes)).toBe(true);
  });

  it("names the file in Vietnamese (RFC 5987) with an ASCII fallback", () => {
    expect(contentDisposition(FILE.filename, FILE.displayName)).toBe(
      "attachment; filename=\"Bao-cao-thang-11-2026-Ap-Ben-Do.docx\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20th%C3%A1ng%2011-2026%20-%20%E1%BA%A4p%20B%E1%BA%BFn%20%C4%90%C3%B2.docx",
    );
    expect(asciiFilename("Báo cáo (Ấp Đồng Tâm) \"x\".docx")).toBe("Bao-cao-Ap-Dong-Tam-x-.docx");
  });

  it("serves the file over HTTP: 200 with headers, 410 after expiry, 404 for a wrong token", async () => {
    const clock = new ManualClock("2026-11-10T02:00:00Z");
    http = new HttpServer();
    let port = 0;
    db = openDatabase(":memory:");
    const s = new FileLinkStore(new FileLinkRows(db), clock, { ttlMs: HOUR, baseUrl: () => `http://127.0.0.1:${port}` });
    serveFileLinks(http, s);
    port = await http.listen(0, "127.0.0.1");
    const link = s.issue(FILE);

    const ok = await fetch(link.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe(DOCX_TYPE);
    expect(ok.headers.get("content-disposition")).toContain("filename*=UTF-8''B%C3%A1o%20c%C3%A1o");
    expect(ok.headers.get("cache-control")).toContain("no-store");
    expect(Buffer.from(await ok.arrayBuffer()).equals(FILE.bytes)).toBe(true);
    // The name part of the path is cosmetic; the token alone opens the file.
    expect((await fetch(`http://127.0.0.1:${port}/files/${link.token}`)).status).toBe(200);
    expect((await fetch(link.url, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(link.url, { method: "POST" })).status).toBe(405);

    const wrong = link.url.replace(link.token, `${link.token.slice(0, -1)}${link.token.endsWith("A") ? "B" : "A"}`);
    expect((await fetch(wrong)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/files/`)).status).toBe(404);

    clock.advance(HOUR);
    const gone = await fetch(link.url);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("hết hạn");
  });
});
