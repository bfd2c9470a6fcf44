// The newcomer's path: `npm start` without any token runs the chat simulator; typing the README's steps
// reaches a saved .docx draft.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";
import { docxText } from "../support/docx-text.js";

const LINES = [
  ":tu",
  "/dangky",
  "1",
  // The shipped prompts, on today's date: another kind may be open beside the month (the fund's peak month, the
  // six-month or annual report near their deadlines), so the kind is named.
  "/baocao thang",
  "12 buoi 3.850 nguoi",
  "1",
  "15 vụ, thành 10, không thành 5",
  "không",
  "vận động 15 triệu, chi 10tr, giúp 12 hộ",
  "/bo",
  "0",
  "không",
  "không",
  ":minh",
  "/tiendo",
  ":thoat",
];

describe("terminal simulator", () => {
  it("walks a leader from /dangky to a saved draft with no token configured", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baocao-sim-"));
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", "main.ts")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_PATH: join(dir, "sim.sqlite") },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.stdin.end(`${LINES.join("\n")}\n`);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, out).toBe(0);
    expect(out).toContain("Trình mô phỏng nhóm chat — Nhóm MTTQ xã Tân Khai");
    expect(out).toContain("Ghi nhận: 12 buổi, 3.850 lượt người");
    expect(out).toMatch(/Ấp Bến Đò đã hoàn thành báo cáo tháng \d+\/2026/);
    expect(out).toContain("📨 Đã nộp (1): 1. Ấp Bến Đò");
    const saved = /📄 Đã lưu: (\S+\.docx)/.exec(out)?.[1];
    expect(saved).toBeDefined();
    const path = saved!.startsWith("/") ? saved! : join(ROOT, saved!);
    expect(existsSync(path)).toBe(true);
    expect(await docxText(readFileSync(path))).toContain("3.850 lượt người tham dự");
  }, 60_000);
});
