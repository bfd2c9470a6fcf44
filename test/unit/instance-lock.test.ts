import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireInstanceLock, InstanceLockError, lockPathOf } from "../../src/store/instance-lock.js";

describe("one instance per database", () => {
  it("refuses a second holder at once, naming the database and the lock, and frees the lock on release", () => {
    const db = join(mkdtempSync(join(tmpdir(), "baocao-lock-")), "bot.sqlite");
    const first = acquireInstanceLock(db);
    const started = Date.now();
    let error: unknown;
    try {
      acquireInstanceLock(db);
    } catch (err) {
      error = err;
    }
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(InstanceLockError);
    expect((error as Error).message).toContain(db);
    expect((error as Error).message).toContain(lockPathOf(db));
    expect((error as Error).message).toContain("tiến trình bot khác");
    first.release();
    const again = acquireInstanceLock(db);
    again.release();
  });

  it("says so when the lock file cannot be created", () => {
    expect(() => acquireInstanceLock("/proc/definitely/not/here.sqlite")).toThrow(/Không tạo được tệp khoá \/proc\/definitely\/not\/here\.sqlite\.lock/);
  });
});
