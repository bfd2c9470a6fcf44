// Reporters typing in their groups through the Bot API stand-in, all at once: each sends the next line of
// their script as soon as the bot has replied to the previous one (a reply to the bot's last message to
// them, as people do with privacy mode on). No think time: the bot, not the people, sets the pace.
import type { FakeTelegram, SentEntry } from "../../test/support/fake-telegram.js";
import type { Group, Reporter } from "./world.js";

interface State {
  group: Group;
  reporter: Reporter;
  script: string[];
  next: number;
  /** The bot message to reply to with the next line. */
  lastBotMessage?: number;
  /** message_id of the reporter's message still waiting for the bot's reply, and when it was sent. */
  waitingOn?: number;
  saidAt: number;
  replies: SentEntry[];
}

export interface CrowdResult {
  /** Updates the people sent. */
  updates: number;
  /** Time (the crowd's clock) of the first update and of the reply to the last one. */
  startedAt: number;
  finishedAt: number;
  /** How long each message waited for the bot's reply (the crowd's clock). */
  waits: number[];
  /** The bot's replies to each reporter, in order, keyed by reporter user id. */
  replies: Map<number, SentEntry[]>;
}

export class Crowd {
  private readonly states: State[];
  private readonly byMessage = new Map<string, State>();
  private updates = 0;
  private readonly waits: number[] = [];

  /** `now` is the crowd's clock in milliseconds: real time by default, a simulated clock when the bot has one. */
  constructor(
    private readonly tg: FakeTelegram,
    groups: Group[],
    script: (g: Group, r: Reporter) => string[],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.states = groups.flatMap((group) =>
      group.reporters.map((reporter) => ({ group, reporter, script: script(group, reporter), next: 0, saidAt: 0, replies: [] })),
    );
  }

  /** Updates sent so far. */
  sent(): number {
    return this.updates;
  }

  /** Runs every script to its end; rejects when nothing moved for `stallMs` real milliseconds. */
  run(stallMs = 30_000): Promise<CrowdResult> {
    const startedAt = this.now();
    let remaining = this.states.length;
    let lastProgress = Date.now();
    return new Promise<CrowdResult>((resolve, reject) => {
      const finish = (err?: Error) => {
        off();
        clearInterval(watchdog);
        if (err) reject(err);
        else {
          const replies = new Map(this.states.map((s) => [s.reporter.userId, s.replies]));
          resolve({ updates: this.updates, startedAt, finishedAt: this.now(), waits: this.waits, replies });
        }
      };
      const off = this.tg.on("sent", (e: SentEntry) => {
        if ((e.method !== "sendMessage" && e.method !== "sendDocument") || e.replyTo === undefined) return;
        const key = `${e.chatId}:${e.replyTo}`;
        const state = this.byMessage.get(key);
        if (!state) return;
        this.byMessage.delete(key);
        lastProgress = Date.now();
        state.replies.push(e);
        this.waits.push(this.now() - state.saidAt);
        state.lastBotMessage = e.messageId;
        state.waitingOn = undefined;
        // Answer at once (inside the stand-in's "sent" event): by the time the bot's send returns, the next
        // update is already queued — a simulated clock must not move in between.
        if (state.next < state.script.length) this.say(state);
        else if (--remaining === 0) finish();
      });
      const watchdog = setInterval(() => {
        if (Date.now() - lastProgress > stallMs) finish(new Error(`bench: the crowd stalled with ${remaining} reporter(s) unfinished`));
      }, 1_000);
      for (const s of this.states) this.say(s);
    });
  }

  private say(s: State): void {
    const text = s.script[s.next++]!;
    const chat = { id: s.group.chatId, type: "supergroup" as const, title: `MTTQ ${s.group.commune}` };
    const from = { id: s.reporter.userId, first_name: s.reporter.firstName };
    const replyTo = text.startsWith("/") ? undefined : s.lastBotMessage;
    const update = this.tg.userSays({ chat, from, text, replyTo });
    this.updates++;
    s.waitingOn = update.message!.message_id;
    s.saidAt = this.now();
    this.byMessage.set(`${s.group.chatId}:${s.waitingOn}`, s);
  }
}
