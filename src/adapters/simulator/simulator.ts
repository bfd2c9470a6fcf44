// A chat group in the terminal: speak as different people in one simulated commune group (or privately
// with the bot) and get the same replies and the same .docx drafts as on Telegram, without any token.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import type { Core } from "../../app/create-core.js";
import type { RenderedFile } from "../../app/documents.js";
import type { Payload, Transport } from "../../app/outbox.js";
import type { InboundEvent } from "../../core/events.js";
import { importUnits, readUnitsCsv, unitCount } from "../../store/units.js";
import { SqlWorld } from "../../store/sql-world.js";

export const SIM_GROUP = { id: "-1001", title: "Nhóm MTTQ xã Tân Khai" };
const SAMPLE_COMMUNE = "25747";

export interface SimPerson {
  key: string;
  id: string;
  name: string;
  note: string;
}

export const SIM_PEOPLE: SimPerson[] = [
  { key: "tu", id: "101", name: "Tư", note: "trưởng ban công tác Mặt trận ấp (chưa đăng ký)" },
  { key: "hanh", id: "102", name: "Hạnh", note: "trưởng ban công tác Mặt trận ấp (chưa đăng ký)" },
  { key: "minh", id: "103", name: "Minh", note: "cán bộ Mặt trận xã Tân Khai" },
];

/** The embedded default: the sample commune, a group linked to it, and one commune staff member. */
export function seedSimulator(core: Core, sampleCsv: string): void {
  const { db } = core;
  if (unitCount(db) === 0) importUnits(db, readUnitsCsv(readFileSync(sampleCsv, "utf8")));
  const now = core.clock.now().toISOString();
  db.transaction(() => {
    db.prepare(
      "INSERT OR IGNORE INTO chats (platform, chat_id, unit_code, title, linked_by, linked_at) VALUES ('sim', ?, ?, ?, 'seed', ?)",
    ).run(SIM_GROUP.id, SAMPLE_COMMUNE, SIM_GROUP.title, now);
    const staff = SIM_PEOPLE.find((p) => p.key === "minh")!;
    const has = db.prepare("SELECT 1 FROM roles WHERE platform = 'sim' AND user_id = ? AND revoked_at IS NULL").get(staff.id);
    if (!has) {
      db.prepare("INSERT INTO roles (platform, user_id, role, unit_code, granted_at, granted_by) VALUES ('sim', ?, 'commune_staff', ?, ?, 'seed')").run(
        staff.id,
        SAMPLE_COMMUNE,
        now,
      );
    }
  })();
}

/** Prints what the bot sends; drafts are written under data/drafts/. */
export class SimulatorTransport implements Transport {
  readonly platform = "sim" as const;
  private nextId = 1;
  onMessage: (chatId: string, messageId: string, payload: Payload) => void = () => {};

  constructor(
    private readonly out: (line: string) => void,
    private readonly draftsDir: string,
    private readonly nameOf: (userId: string) => string,
  ) {}

  pacing() {
    return { perMinute: 1_000_000, minGapMs: 0 };
  }

  async deliver(chatId: string, payload: Payload, file?: RenderedFile): Promise<{ messageId?: string }> {
    if (payload.callback && !payload.text) return {};
    const messageId = String(this.nextId++);
    const where = chatId === SIM_GROUP.id ? "nhóm" : `riêng với ${this.nameOf(chatId)}`;
    const to = payload.owner ? ` → ${this.nameOf(payload.owner)}` : "";
    const lines = [`\n🤖 Bot (${where}${to}):`, ...payload.text.split("\n").map((l) => `   ${l}`)];
    for (const row of payload.choices ?? []) lines.push(`   ${row.map((c) => `[${c.label}]`).join(" ")}`);
    if (file) {
      mkdirSync(this.draftsDir, { recursive: true });
      const path = join(this.draftsDir, file.filename);
      writeFileSync(path, file.bytes);
      lines.push(`   📄 Đã lưu bản nháp: ${relative(process.cwd(), path) || path}`);
    }
    this.out(lines.join("\n"));
    this.onMessage(chatId, messageId, payload);
    return { messageId };
  }
}

const HELP = [
  "Gõ tin nhắn như trong nhóm chat. Các lệnh của trình mô phỏng bắt đầu bằng dấu hai chấm:",
  ...SIM_PEOPLE.map((p) => `  :${p.key.padEnd(6)} nói với tư cách ${p.name} — ${p.note}`),
  "  :rieng   nhắn riêng với bot · :nhom quay lại nhóm",
  "  :giup    xem hướng dẫn này · :thoat thoát",
  "Thử: :tu → /dangky → 1 → /baocao → 12 buổi, 350 người → …",
].join("\n");

export async function runSimulator(core: Core, opts: { draftsDir: string; input?: NodeJS.ReadableStream; output?: (s: string) => void }): Promise<void> {
  const out = opts.output ?? ((s: string) => process.stdout.write(`${s}\n`));
  const world = new SqlWorld(core.db);
  const nameOf = (userId: string) => SIM_PEOPLE.find((p) => p.id === userId)?.name ?? world.person({ platform: "sim", userId })?.name ?? userId;
  const transport = new SimulatorTransport(out, opts.draftsDir, nameOf);
  // The last question each person was asked, so their next line counts as a reply to it (like ForceReply).
  const lastQuestion = new Map<string, string>();
  transport.onMessage = (chatId, messageId, payload) => {
    if (payload.owner && payload.purpose === "question") lastQuestion.set(`${chatId}:${payload.owner}`, messageId);
  };
  const drainer = core.startOutbox([transport], { concurrency: 1 });

  let speaker = SIM_PEOPLE[0]!;
  let privateChat = false;
  let seq = Number((core.db.prepare("SELECT count(*) AS n FROM processed_updates WHERE platform = 'sim'").get() as { n: number }).n);
  const rl = createInterface({ input: opts.input ?? process.stdin, terminal: false });
  const prompt = () => `[${speaker.name} @ ${privateChat ? "riêng" : "nhóm"}] > `;
  out(`Trình mô phỏng nhóm chat — ${SIM_GROUP.title}\n${HELP}`);
  if (process.stdout.isTTY && !opts.input) process.stdout.write(prompt());

  const settle = async () => {
    // Let the outbox deliver what this line caused before reading the next one.
    for (let i = 0; i < 200 && drainer.pendingCount() > 0; i++) await new Promise((r) => setTimeout(r, 10));
  };

  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith(":")) {
      const cmd = line.slice(1).toLowerCase();
      const person = SIM_PEOPLE.find((p) => p.key === cmd);
      if (person) speaker = person;
      else if (cmd === "rieng") privateChat = true;
      else if (cmd === "nhom") privateChat = false;
      else if (cmd === "thoat") break;
      else out(HELP);
      if (process.stdout.isTTY && !opts.input) process.stdout.write(prompt());
      continue;
    }
    if (!opts.input && !process.stdout.isTTY) out(`${prompt()}${line}`);
    const chatId = privateChat ? speaker.id : SIM_GROUP.id;
    const replyTo = lastQuestion.get(`${chatId}:${speaker.id}`);
    const ev: InboundEvent = {
      platform: "sim",
      updateKey: `sim-${Date.now()}-${++seq}`,
      chat: privateChat ? { id: speaker.id, type: "private" } : { id: SIM_GROUP.id, type: "group", title: SIM_GROUP.title },
      from: { id: speaker.id, name: speaker.name },
      messageId: `u${seq}`,
      replyTo: replyTo ? { messageId: replyTo, fromBot: true } : undefined,
      body: { kind: "text", text: line },
    };
    core.handler.handle(ev);
    await settle();
    if (process.stdout.isTTY && !opts.input) process.stdout.write(prompt());
  }
  await settle();
  await drainer.stop();
}
