// The rendered files behind expiring public links (Zalo fetches drafts and chart photos from them).
import type { DB } from "./db.js";

export interface FileLinkRow {
  token: string;
  filename: string;
  display_name: string;
  content_type: string;
  bytes: Buffer;
  expires_at: number;
}

export class FileLinkRows {
  private readonly q;

  constructor(db: DB) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO file_links (token, filename, display_name, content_type, bytes, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare<[string], FileLinkRow>("SELECT token, filename, display_name, content_type, bytes, expires_at FROM file_links WHERE token = ?"),
      prune: db.prepare("DELETE FROM file_links WHERE expires_at < ?"),
    };
  }

  insert(row: FileLinkRow, createdAt: number): void {
    this.q.insert.run(row.token, row.filename, row.display_name, row.content_type, row.bytes, createdAt, row.expires_at);
  }

  get(token: string): FileLinkRow | undefined {
    return this.q.get.get(token);
  }

  /** Deletes links that expired before `before`. */
  prune(before: number): void {
    this.q.prune.run(before);
  }
}
