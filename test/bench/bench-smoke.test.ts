// The benchmark is an instrument other work is judged by: its smallest run must keep working and keep
// writing the JSON names other tools read. `--tiny` runs every section that feeds those names on trees of a
// dozen areas (seconds, not minutes); the figures themselves are not judged here, only that they are there.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";

const dir = mkdtempSync(join(tmpdir(), "baocao-bench-smoke-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bench(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "bench.ts"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

const positive = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;

describe("npm run bench -- --tiny", () => {
  it("runs every section behind the JSON names and writes them", { timeout: 180_000 }, async () => {
    const file = join(dir, "bench.json");
    const r = await bench(["--tiny", "--only", "latency,core,end-to-end,scale", "--json", file]);
    expect(r.code, r.err.slice(-3000)).toBe(0);
    expect(r.out).toMatch(/Targets met: \d+ of \d+/);
    const j = JSON.parse(readFileSync(file, "utf8"));
    expect(j.mode).toBe("tiny");
    for (const k of ["medianMs", "floorMs", "ratio"]) expect(positive(j.update[k]), `update.${k}`).toBe(true);
    expect(j.update.ratio).toBeCloseTo(j.update.medianMs / j.update.floorMs, 6);
    expect(positive(j.core.answersPerSecond)).toBe(true);
    expect(positive(j.endToEnd.updatesPerSecond)).toBe(true);
    expect(j.scale.map((s: { name: string }) => s.name)).toEqual(["province", "country", "three-tier"]);
    for (const s of j.scale) {
      for (const k of ["areas", "tonghopMs", "communeDraftMs", "treeDraftMs", "completionWithBoardMs", "maxLoopStallMs", "peakRssMb"]) {
        expect(positive(s[k]), `${s.name}.${k} = ${s[k]}`).toBe(true);
      }
      expect(s.lowerBounds).toEqual({});
    }
    // Every target is listed with its verdict.
    expect(j.targets.length).toBeGreaterThan(10);
    for (const t of j.targets) expect(typeof t.pass).toBe("boolean");
  });
});
