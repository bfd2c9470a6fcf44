// A chat group in the terminal: speak as different people in one simulated commune group (or privately
// with the bot) and get the same replies and the same .docx drafts as on Telegram, without any token.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { loadPromptFile } from "../../config/load-prompts.js";
import { fill, type Messages } from "../../core/messages.js";
import { textWithButtons } from "../button-text.js";
import type { Core } from "../../app/create-core.js";
import type { RenderedFile } from "../../app/documents.js";
import type { DeliveryExtras, Payload, Transport } from "../../app/outbox.js";
import type { InboundEvent } from "../../core/events.js";
import { importUnits, readUnitsCsv, unitCount } from "../../store/units.js";
import { SqlWorld } from "../../store/sql-world.js";
import { processedCount, seedSimulatorChat } from "../../store/simulator-seed.js";

const SAMPLE_COMMUNE = "25747";
const GROUP_ID = "-1001";

/** prompts/simulator.yaml: the simulated group's cast and the simulator's own wording. */
const simulatorTextsSchema = z.strictObject({
  group_title: z.string().min(1),
  people: z.array(z.strictObject({ key: z.string().regex(/^[a-z]+$/), name: z.string().min(1), note: z.string(), staff: z.boolean().default(false) })).min(1),
  title: z.string(),
  help_intro: z.string(),
  help_person: z.string(),
  help_controls: z.string(),
  help_try: z.string(),
  in_group: z.string(),
  in_private: z.string(),
  private_with: z.string(),
  bot_header: z.string(),
  saved: z.string(),
  chart_saved: z.string(),
  prompt: z.string(),
});
export type SimulatorTexts = z.infer<typeof simulatorTextsSchema>;

export function loadSimulatorTexts(promptsDir: string): SimulatorTexts {
  return loadPromptFile(join(promptsDir, "simulator.yaml"), simulatorTextsSchema);
}

export interface SimPerson {
  key: string;
  id: string;
  name: string;
  note: string;
  staff: boolean;
}

/** The cast, with stable user ids (101, 102…) so a second run finds the same people in the database. */
export function simPeople(t: SimulatorTexts): SimPerson[] {
  return t.people.map((p, i) => ({ ...p, id: String(101 + i) }));
}

/** The embedded default: the sample commune, a group linked to it, and one commune staff member. */
export function seedSimulator(core: Core, sampleCsv: string, t: SimulatorTexts): void {
  const { db } = core;
  if (unitCount(db) === 0) importUnits(db, readUnitsCsv(readFileSync(sampleCsv, "utf8")));
  seedSimulatorChat(db, {
    chatId: GROUP_ID,
    unitCode: SAMPLE_COMMUNE,
    title: t.group_title,
    staffIds: simPeople(t).filter((p) => p.staff).map((p) => p.id),
    at: core.clock.now(),
  });
}

/** Prints what the bot sends; drafts and chart pictures are written under data/drafts/. */
export class SimulatorTransport implements Transport {
  readonly platform = "sim" as const;
  private nextId = 1;
  onMessage: (chatId: string, messageId: string, payload: Payload) => void = () => {};

  constructor(
    private readonly out: (line: string) => void,
    private readonly draftsDir: string,
    private readonly nameOf: (userId: string) => string,
    private readonly t: SimulatorTexts,
    private readonly messages: Messages,
  ) {}

  pacing() {
    return { perMinute: 1_000_000, minGapMs: 0 };
  }

  async deliver(chatId: string, payload: Payload, file?: RenderedFile, extras: DeliveryExtras = {}): Promise<{ messageId?: string }> {
    if (payload.callback && !payload.text) return {};
    const messageId = String(this.nextId++);
    const where = chatId === GROUP_ID ? this.t.in_group : fill(this.t.private_with, { name: this.nameOf(chatId) });
    const to = payload.owner ? ` → ${this.nameOf(payload.owner)}` : "";
    const text = textWithButtons(payload, this.messages);
    const lines = [`\n${fill(this.t.bot_header, { where, to })}`, ...text.split("\n").map((l) => `   ${l}`)];
    // Buttons that only repeat a command in the text cannot be pressed here: the command is typed instead.
    for (const row of payload.buttonsOnly ? [] : (payload.choices ?? [])) lines.push(`   ${row.map((c) => `[${c.label}]`).join(" ")}`);
    // The chart's pictures, as a chat would show them above the text, are saved beside the drafts.
    for (const picture of extras.pictures ?? []) {
      mkdirSync(this.draftsDir, { recursive: true });
      const path = join(this.draftsDir, picture.filename);
      writeFileSync(path, picture.png);
      lines.push(`   ${fill(this.t.chart_saved, { path: relative(process.cwd(), path) || path })}`);
    }
    if (file) {
      mkdirSync(this.draftsDir, { recursive: true });
      const path = join(this.draftsDir, file.filename);
      writeFileSync(path, file.bytes);
      lines.push(`   ${fill(this.t.saved, { path: relative(process.cwd(), path) || path })}`);
    }
    this.out(lines.join("\n"));
    this.onMessage(chatId, messageId, payload);
    return { messageId };
  }
}

function helpText(t: SimulatorTexts, people: SimPerson[]): string {
  return [
    t.help_intro,
    ...people.map((p) => fill(t.help_person, { key: p.key.padEnd(6), name: p.name, note: p.note })),
    t.help_controls,
    t.help_try,
  ].join("\n");
}

export async function runSimulator(
  core: Core,
  t: SimulatorTexts,
  opts: { draftsDir: string; input?: NodeJS.ReadableStream; output?: (s: string) => void },
): Promise<void> {
  const out = opts.output ?? ((s: string) => process.stdout.write(`${s}\n`));
  const world = new SqlWorld(core.db);
  const people = simPeople(t);
  const help = helpText(t, people);
  const nameOf = (userId: string) => people.find((p) => p.id === userId)?.name ?? world.person({ platform: "sim", userId })?.name ?? userId;
  const transport = new SimulatorTransport(out, opts.draftsDir, nameOf, t, core.prompts.messages);
  // The last question each person was asked, so their next line counts as a reply to it (like ForceReply).
  const lastQuestion = new Map<string, string>();
  transport.onMessage = (chatId, messageId, payload) => {
    if (payload.owner && payload.purpose === "question") lastQuestion.set(`${chatId}:${payload.owner}`, messageId);
  };
  const drainer = core.startOutbox([transport], { concurrency: 1 });

  let speaker = people[0]!;
  let privateChat = false;
  let seq = processedCount(core.db, "sim");
  const rl = createInterface({ input: opts.input ?? process.stdin, terminal: false });
  const prompt = () => fill(t.prompt, { name: speaker.name, where: privateChat ? t.in_private : t.in_group });
  out(`${fill(t.title, { group: t.group_title })}\n${help}`);
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
      const person = people.find((p) => p.key === cmd);
      if (person) speaker = person;
      else if (cmd === "rieng") privateChat = true;
      else if (cmd === "nhom") privateChat = false;
      else if (cmd === "thoat") break;
      else out(help);
      if (process.stdout.isTTY && !opts.input) process.stdout.write(prompt());
      continue;
    }
    if (!opts.input && !process.stdout.isTTY) out(`${prompt()}${line}`);
    const chatId = privateChat ? speaker.id : GROUP_ID;
    const replyTo = lastQuestion.get(`${chatId}:${speaker.id}`);
    const ev: InboundEvent = {
      platform: "sim",
      updateKey: `sim-${Date.now()}-${++seq}`,
      chat: privateChat ? { id: speaker.id, type: "private" } : { id: GROUP_ID, type: "group", title: t.group_title },
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
