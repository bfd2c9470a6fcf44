import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, masker } from "../../src/app/logger.js";

// Assembled at run time so the repository never holds a string shaped like a real bot token.
const TOKEN = ["123456789", "AAFakeTokenForTests_abcdefghijklmno"].join(":");
const ZALO = "9876543210:ZaloSecretPartThatIsLong";

function capture(): { lines: () => Array<Record<string, unknown>>; stream: Writable } {
  let out = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  return { stream, lines: () => out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("logger", () => {
  it("keeps an error's stack trace and cause, with every secret masked", () => {
    const c = capture();
    const log = createLogger("info", c.stream, { secrets: [TOKEN, ZALO] });
    const cause = new Error(`connect failed for https://bot-api.zaloplatforms.com/bot${ZALO}/sendMessage`);
    const err = new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed`, { cause });
    log.error({ err }, `storage failed while calling bot${TOKEN}`);
    const line = c.lines()[0]!;
    const text = JSON.stringify(line);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(TOKEN.split(":")[1]);
    expect(text).not.toContain(ZALO.split(":")[1]);
    const e = line.err as { type: string; message: string; stack: string; cause: { message: string; stack: string } };
    expect(e.type).toBe("Error");
    expect(e.stack).toMatch(/^Error: request to https:\/\/api\.telegram\.org\/bot\*\*\*\/getMe failed\n\s+at /);
    expect(e.stack).toContain("logger.test.ts");
    expect(e.cause.message).toContain("bot***/sendMessage");
    expect(e.cause.stack).toContain("at ");
    expect(line.msg).toBe("storage failed while calling bot***");
  });

  it("masks a token shaped like a bot URL even when it was not configured", () => {
    expect(masker([])(`GET /bot${TOKEN}/x`)).toBe("GET /bot***/x");
  });
});
