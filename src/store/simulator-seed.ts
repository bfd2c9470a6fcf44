// The terminal simulator's embedded default: a group linked to the sample commune and its staff, and how many
// simulator updates were stored (so a second run numbers its updates after them).
import type { DB } from "./db.js";

/** Links the simulator's group and grants commune staff to the given people, once. */
export function seedSimulatorChat(db: DB, s: { chatId: string; unitCode: string; title: string; staffIds: string[]; at: Date }): void {
  const now = s.at.toISOString();
  const link = db.prepare("INSERT OR IGNORE INTO chats (platform, chat_id, unit_code, title, linked_by, linked_at) VALUES ('sim', ?, ?, ?, 'seed', ?)");
  const has = db.prepare("SELECT 1 FROM roles WHERE platform = 'sim' AND user_id = ? AND revoked_at IS NULL");
  const grant = db.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at, granted_by) VALUES ('sim', ?, 'commune_staff', ?, ?, 'seed')");
  db.transaction(() => {
    link.run(s.chatId, s.unitCode, s.title, now);
    for (const id of s.staffIds) if (!has.get(id)) grant.run(id, s.unitCode, now);
  })();
}

/** Updates stored so far from a platform. */
export function processedCount(db: DB, platform: string): number {
  return (db.prepare("SELECT count(*) AS n FROM processed_updates WHERE platform = ?").get(platform) as { n: number }).n;
}
