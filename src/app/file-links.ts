// Report drafts and chart pictures for platforms that cannot upload files (Zalo, which fetches a photo from its
// URL): the bot keeps the rendered bytes in SQLite under an unguessable token and serves them from its own HTTP
// server until the link expires. Stored in the database,
// so a link in a chat keeps working across restarts; refused with 410 once expired, 404 when unknown.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../core/clock.js";
import type { FileLinkRows } from "../store/file-link-rows.js";
import type { RenderedFile } from "./documents.js";
import type { HttpServer } from "./http-server.js";

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
export const FILES_PREFIX = "/files/";

/** 32 random bytes, URL-safe: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{32,64}$/;
/** Expired links answer 410 for this long, then they are deleted and answer 404. */
const KEEP_EXPIRED_MS = 30 * 86_400_000;

export interface IssuedLink {
  token: string;
  url: string;
  expiresAt: Date;
}

export type LinkLookup =
  | { status: "ok"; filename: string; displayName: string; contentType: string; bytes: Buffer }
  | { status: "expired" }
  | { status: "missing" };

export interface FileLinkOptions {
  /** How long a link works. */
  ttlMs: number;
  /** Public base URL of the bot's HTTP server, read when a link is issued (the port may be chosen at start). */
  baseUrl: () => string;
  newToken?: () => string;
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const PNG_TYPE = "image/png";

export function contentTypeOf(filename: string): string {
  if (/\.docx$/i.test(filename)) return DOCX_TYPE;
  if (/\.xlsx$/i.test(filename)) return XLSX_TYPE;
  if (/\.png$/i.test(filename)) return PNG_TYPE;
  return "application/octet-stream";
}

/** An ASCII-only name for old clients: anything outside [A-Za-z0-9._-] becomes "-". */
export function asciiFilename(name: string): string {
  const ascii = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, (c) => (c === "đ" ? "d" : "D"))
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return ascii || "file";
}

/** RFC 5987 ext-value: UTF-8, percent-encoding everything outside attr-char. */
function rfc5987(value: string): string {
  return encodeURIComponent(value.normalize("NFC")).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="Bao-cao….docx"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o…` (RFC 6266 + RFC 5987); a picture
 * is `inline`, shown where it is opened.
 */
export function contentDisposition(filename: string, displayName = filename, type: "attachment" | "inline" = "attachment"): string {
  return `${type}; filename="${asciiFilename(filename)}"; filename*=UTF-8''${rfc5987(displayName)}`;
}

export class FileLinkStore {
  private readonly newToken: () => string;

  constructor(
    private readonly rows: FileLinkRows,
    private readonly clock: Clock,
    private readonly opts: FileLinkOptions,
  ) {
    this.newToken = opts.newToken ?? (() => randomBytes(32).toString("base64url"));
  }

  /** Stores the file and returns its public link. */
  issue(file: RenderedFile): IssuedLink {
    const now = this.clock.now().getTime();
    const token = this.newToken();
    const expiresAt = now + this.opts.ttlMs;
    const displayName = (file.displayName ?? file.filename).normalize("NFC");
    this.rows.prune(now - KEEP_EXPIRED_MS);
    this.rows.insert({ token, filename: file.filename, display_name: displayName, content_type: contentTypeOf(file.filename), bytes: file.bytes, expires_at: expiresAt }, now);
    const base = this.opts.baseUrl().replace(/\/+$/, "");
    return { token, url: `${base}${FILES_PREFIX}${token}/${encodeURIComponent(asciiFilename(file.filename))}`, expiresAt: new Date(expiresAt) };
  }

  lookup(token: string): LinkLookup {
    if (!TOKEN.test(token)) return { status: "missing" };
    const row = this.rows.get(token);
    // The primary-key lookup already matched; compare again in constant time so timing says nothing about prefixes.
    if (!row || !timingSafeEqual(Buffer.from(row.token), Buffer.from(token))) return { status: "missing" };
    if (row.expires_at <= this.clock.now().getTime()) return { status: "expired" };
    return { status: "ok", filename: row.filename, displayName: row.display_name, contentType: row.content_type, bytes: row.bytes };
  }

  /** GET/HEAD <prefix><token>[/<name>]: the file, 410 when expired, 404 when unknown. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const path = (req.url ?? "/").split("?")[0]!;
    const token = path.slice(FILES_PREFIX.length).split("/")[0] ?? "";
    const found = this.lookup(token);
    const plain = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };
    if (found.status === "missing") {
      res.writeHead(404, plain).end("Không tìm thấy tệp.");
      return;
    }
    if (found.status === "expired") {
      res.writeHead(410, plain).end("Đường dẫn đã hết hạn.");
      return;
    }
    res.writeHead(200, {
      "content-type": found.contentType,
      "content-length": String(found.bytes.length),
      "content-disposition": contentDisposition(found.filename, found.displayName, found.contentType.startsWith("image/") ? "inline" : "attachment"),
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
    res.end(req.method === "HEAD" ? undefined : found.bytes);
  }
}

/** Serves the store's links from the bot's HTTP server. */
export function serveFileLinks(http: HttpServer, store: FileLinkStore): void {
  http.routePrefix(FILES_PREFIX, (req, res) => store.handle(req, res));
}
