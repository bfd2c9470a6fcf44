// Personal web-view links. Only the SHA-256 of a token is stored, so a copy of the database opens no page; a
// lookup hashes what was presented and finds it by primary key.
import { createHash } from "node:crypto";
import type { DB } from "./db.js";
import type { PersonRef, Platform } from "../core/types.js";

/** Tokens are 32 random bytes, URL-safe: anything else is refused before the database is asked. */
const TOKEN = /^[A-Za-z0-9_-]{32,64}$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export type WebLinkLookup =
  | { status: "ok"; person: PersonRef; expiresAt: number }
  | { status: "expired" }
  | { status: "revoked" }
  | { status: "missing" };

export class WebLinkStore {
  private readonly get;

  constructor(db: DB) {
    this.get = db.prepare<[string], { platform: Platform; user_id: string; expires_at: number; revoked_at: number | null }>(
      "SELECT platform, user_id, expires_at, revoked_at FROM web_links WHERE token_hash = ?",
    );
  }

  lookup(token: string, now: number): WebLinkLookup {
    if (!TOKEN.test(token)) return { status: "missing" };
    const row = this.get.get(hashToken(token));
    if (!row) return { status: "missing" };
    if (row.revoked_at !== null) return { status: "revoked" };
    if (row.expires_at <= now) return { status: "expired" };
    return { status: "ok", person: { platform: row.platform, userId: row.user_id }, expiresAt: row.expires_at };
  }
}

/** The statements that apply the web-link effects, inside the decision's transaction. */
export function webLinkWriter(db: DB) {
  const revoke = db.prepare("UPDATE web_links SET revoked_at = ? WHERE platform = ? AND user_id = ? AND revoked_at IS NULL");
  const insert = db.prepare("INSERT INTO web_links (token_hash, platform, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
  // Links long expired are of no use even to say "expired": a month later they go.
  const prune = db.prepare("DELETE FROM web_links WHERE expires_at < ?");
  return {
    issue(token: string, person: PersonRef, expiresAt: number, now: number): void {
      prune.run(now - 30 * 86_400_000);
      revoke.run(now, person.platform, person.userId);
      insert.run(hashToken(token), person.platform, person.userId, now, expiresAt);
    },
    revokeAll(person: PersonRef, now: number): void {
      revoke.run(now, person.platform, person.userId);
    },
  };
}
