// Seeds one tree in a process of its own, so that the measuring process starts clean (its peak RSS is its
// own, not the seeder's):  node --import tsx scripts/bench/seed-worker.ts <tree> <size> <database>
// Prints the manifest (seed.ts) as one JSON line.
import type { AnswerMap } from "../../src/core/types.js";
import { FULL_FORM_ANSWERS, Harness } from "../../test/support/harness.js";
import { seedTree } from "./seed.js";
import { buildTree, TREE_NAMES, type TreeName, type TreeSize } from "./trees.js";
import { BENCH_START, PERIOD_KEY } from "./world.js";

/** The answers the scripted form (FULL_FORM_ANSWERS) stores, obtained by filling it through the real core once. */
async function scriptedAnswers(): Promise<AnswerMap> {
  const h = new Harness(BENCH_START);
  try {
    const who = { id: "1", name: "Tư" };
    h.link("-1", "25747");
    h.grant(who, "reporter", "25747-01");
    await h.say(who, "/baocao thang", { chatId: "-1" });
    for (const a of FULL_FORM_ANSWERS) await h.say(who, a, { chatId: "-1" });
    const values = h.answers("25747-01", PERIOD_KEY) as AnswerMap;
    if (Object.keys(values).length === 0) throw new Error("bench: the scripted form stored nothing");
    return values;
  } finally {
    h.close();
  }
}

const [name, size, path] = process.argv.slice(2);
if (!TREE_NAMES.includes(name as TreeName) || !["full", "quick", "tiny"].includes(size ?? "") || !path) {
  throw new Error("usage: seed-worker.ts <province|country|three-tier> <full|quick|tiny> <database>");
}
const manifest = seedTree(buildTree(name as TreeName, size as TreeSize), path, await scriptedAnswers());
process.stdout.write(`${JSON.stringify(manifest)}\n`);
