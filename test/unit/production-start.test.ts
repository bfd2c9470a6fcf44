// Production starts the compiled bot with node options that bound its memory (README, "Memory"): `npm start`,
// the sample systemd unit and the bench's measuring process must use the same ones; the bot itself sets what the
// native allocators read from its environment.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.js";
import { productionNodeOptions } from "../../scripts/bench/compiled.js";
import { configureNativeMemory } from "../../src/app/native-memory.js";

const execStart = () => {
  const line = readFileSync(join(ROOT, "docs", "baocao-bot.service"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("ExecStart="));
  return line?.slice("ExecStart=".length).trim().split(/\s+/) ?? [];
};

describe("the production start", () => {
  it("gives node a small young generation", () => {
    expect(productionNodeOptions()).toContain("--max-semi-space-size=4");
  });

  it("is the same in the systemd unit as in npm start", () => {
    const [node, ...rest] = execStart();
    expect(node).toMatch(/\/node$/);
    expect(rest).toEqual([...productionNodeOptions(), "dist/main.js"]);
  });
});

describe("the native allocators' settings", () => {
  const saved = process.env.MIMALLOC_PURGE_DELAY;
  const restore = () => {
    if (saved === undefined) delete process.env.MIMALLOC_PURGE_DELAY;
    else process.env.MIMALLOC_PURGE_DELAY = saved;
  };

  it("have the chart renderer's allocator return freed pages at once", () => {
    delete process.env.MIMALLOC_PURGE_DELAY;
    configureNativeMemory();
    expect(process.env.MIMALLOC_PURGE_DELAY).toBe("0");
    restore();
  });

  it("keep an operator's own setting", () => {
    process.env.MIMALLOC_PURGE_DELAY = "250";
    configureNativeMemory();
    expect(process.env.MIMALLOC_PURGE_DELAY).toBe("250");
    restore();
  });
});
