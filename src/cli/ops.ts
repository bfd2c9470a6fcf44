// Operator commands of the CLI: an online backup, and the updates parked after repeated failures.
//   backup <file>                  a consistent copy of the live database (the bot may keep running)
//   parked [list] [--all]          updates the bot could not store, with their error
//   parked retry <id|all>          hand them to the core again (replies go out through the running bot)
//   parked drop <id>               give one up, keeping the record
import { existsSync, statSync } from "node:fs";
import type { Clock } from "../core/clock.js";
import type { Prompts } from "../config/load-prompts.js";
import { EventHandler } from "../app/event-handler.js";
import type { DB } from "../store/db.js";
import { ParkedUpdates } from "../store/parked-updates.js";
import { backupDatabase } from "../store/backup.js";
import { decisionStore } from "../store/decision-store.js";

export class OpsUsageError extends Error {}

/**
 * SQLite's online backup: pages are copied while the bot goes on writing, and a write during the copy restarts
 * it, so the result is one consistent moment. The copy is then checked before it is called a backup.
 */
export async function backup(db: DB, file: string | undefined): Promise<string> {
  if (!file) throw new OpsUsageError("Thiếu tên tệp sao lưu, ví dụ: npm run cli -- backup sao-luu-2026-11-30.sqlite");
  if (existsSync(file)) throw new OpsUsageError(`Tệp ${file} đã có; chọn một tên khác để không ghi đè bản sao lưu cũ.`);
  await backupDatabase(db, file);
  const kb = Math.ceil(statSync(file).size / 1024);
  return `Đã sao lưu vào ${file} (${kb} KB, kiểm tra toàn vẹn: ok).`;
}

function describe(p: ReturnType<ParkedUpdates["list"]>[number]): string {
  const when = p.parkedAt.toISOString();
  const state = p.resolution ? ` — ${p.resolution === "handled" ? "đã xử lý lại" : "đã bỏ"} ${p.resolvedAt!.toISOString()}` : "";
  const what = p.event ? `${p.event.body.kind} từ ${p.event.from.name || p.event.from.id} trong ${p.event.chat.id}` : "không dành cho bot";
  return `#${p.id}  ${p.platform} ${p.updateKey}  ${when}  ${p.attempts} lần  ${what}\n     lỗi: ${p.error}${state}`;
}

export function parked(db: DB, prompts: Prompts, clock: Clock, args: string[]): string {
  const store = new ParkedUpdates(db);
  const [sub = "list", target] = args;
  if (sub === "list" || sub === "--all") {
    const rows = store.list(args.includes("--all"));
    return rows.length ? rows.map(describe).join("\n") : "Không có cập nhật nào bị giữ lại.";
  }
  if (sub === "retry") {
    const rows = target === "all" ? store.list() : store.list().filter((p) => String(p.id) === target);
    if (rows.length === 0) throw new OpsUsageError(`Không có cập nhật đang giữ lại với số “${target ?? ""}”. Xem danh sách: npm run cli -- parked`);
    const handler = new EventHandler(decisionStore(db, prompts.forms), prompts, clock);
    const lines = rows.map((p) => {
      try {
        if (p.event) handler.handle(p.event);
        store.resolve(p.id, "handled", clock.now());
        return `#${p.id}: đã xử lý; câu trả lời (nếu có) sẽ được bot đang chạy gửi đi.`;
      } catch (err) {
        return `#${p.id}: vẫn lỗi (${(err as Error).message}); bản ghi được giữ nguyên.`;
      }
    });
    return lines.join("\n");
  }
  if (sub === "drop") {
    const id = Number(target);
    if (!Number.isInteger(id) || !store.resolve(id, "dropped", clock.now())) {
      throw new OpsUsageError(`Không có cập nhật đang giữ lại với số “${target ?? ""}”.`);
    }
    return `#${id}: đã bỏ (bản ghi vẫn còn, xem bằng parked list --all).`;
  }
  throw new OpsUsageError("Cách dùng: parked [list] [--all] · parked retry <số|all> · parked drop <số>");
}
