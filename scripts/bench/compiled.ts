// The measuring process of the trees runs the bot compiled, as production does (`npm start` runs
// `node dist/main.js`), and holds no TypeScript tooling: tsx alone adds a loader thread and its transforms, about
// 30 MB of a process's RSS, and under tsx the draft worker registers it again. So dist/ is built here exactly as
// `npm run build` builds it, and the measures' own script (scale-worker.ts, with the bench and test helpers it
// uses) is bundled into one JavaScript file in which every import of src/ is the same module of dist/: the bot's
// code that runs is the compiled code production runs, and only the script driving it is bundled. It runs with
// the node options `npm start` uses.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { ROOT } from "../../src/paths.js";

const SRC = join(ROOT, "src");
const DIST = join(ROOT, "dist");
/** Inside the project, so that the bundle's imports of packages resolve to its node_modules; a folder per bench
 * run (removed when it ends), so that two runs at once never overwrite each other's bundle. */
const CACHE_DIR = join(ROOT, "node_modules", ".cache", "baocao-bench");

/**
 * The options `npm start` gives node before dist/main.js (package.json's start script), so that the measuring
 * process runs with the options production runs with.
 */
export function productionNodeOptions(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } };
  const m = /\bnode((?:\s+--\S+)*)\s+dist\/main\.js\b/.exec(pkg.scripts.start);
  if (!m) throw new Error(`bench: package.json's start script does not run "node … dist/main.js": ${pkg.scripts.start}`);
  return m[1]!.split(/\s+/).filter(Boolean);
}

/** `npm run build`: src/ compiled to dist/ (incremental: about a second when little changed). */
export function buildDist(): void {
  execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.build.json")], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/** Every relative import that lands in src/ is left out of the bundle and imported from dist/ instead. */
const fromDist: Plugin = {
  name: "src-from-dist",
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      if (!target.startsWith(SRC + sep)) return undefined;
      const compiled = join(DIST, relative(SRC, target));
      if (!existsSync(compiled)) return { errors: [{ text: `${compiled} is missing: dist/ is not built from this src/` }] };
      return { path: pathToFileURL(compiled).href, external: true };
    });
  },
};

/**
 * Builds dist/ and bundles `entry` (a script of scripts/bench) for it; returns the bundle's path, to run with
 * plain `node`.
 */
export async function compiledScript(entry: string): Promise<string> {
  buildDist();
  mkdirSync(CACHE_DIR, { recursive: true });
  const dir = mkdtempSync(join(CACHE_DIR, "run-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, basename(entry).replace(/\.ts$/, ".mjs"));
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    plugins: [fromDist],
    logLevel: "error",
  });
  return outfile;
}
