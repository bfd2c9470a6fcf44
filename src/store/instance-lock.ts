// One running bot per database. Two processes on one database would both poll the platforms and both drain the
// outbox, answering every message twice. The lock is an exclusive SQLite transaction held for the life of the
// process on a small file beside the database (`<database>.lock`): the operating system releases it the moment
// the process ends, even on SIGKILL or a power cut, so there is never a stale lock to clean up by hand.
// The command line does not take it: backups and reports run beside the bot.
import Database from "better-sqlite3";

/** Another process holds the database, or the lock file cannot be created. The message names both files. */
export class InstanceLockError extends Error {
  override readonly name = "InstanceLockError";
}

export interface InstanceLock {
  readonly path: string;
  release(): void;
}

/** Where the lock of a database lives. */
export function lockPathOf(databasePath: string): string {
  return `${databasePath}.lock`;
}

/** Takes the database's lock or throws InstanceLockError at once (it never waits for the other process). */
export function acquireInstanceLock(databasePath: string): InstanceLock {
  const path = lockPathOf(databasePath);
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0 });
  } catch (err) {
    throw new InstanceLockError(`Không tạo được tệp khoá ${path} cho cơ sở dữ liệu ${databasePath}: ${(err as Error).message}`);
  }
  try {
    db.exec("BEGIN EXCLUSIVE");
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === "SQLITE_BUSY") {
      throw new InstanceLockError(
        `Cơ sở dữ liệu ${databasePath} đang được một tiến trình bot khác dùng (khoá ${path}). ` +
          "Mỗi cơ sở dữ liệu chỉ chạy một bot: dừng tiến trình kia trước, hoặc đặt DATABASE_PATH khác.",
      );
    }
    throw new InstanceLockError(`Không khoá được ${path} cho cơ sở dữ liệu ${databasePath}: ${(err as Error).message}`);
  }
  return {
    path,
    release() {
      if (!db.open) return;
      db.exec("ROLLBACK");
      db.close();
    },
  };
}
