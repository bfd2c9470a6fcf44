// Speaks for the people in a Telegram group through the fake Bot API, the way they would: replying to the
// bot's question addressed to them, pressing buttons on the bot's messages.
import type { Update } from "grammy/types";
import type { FakeTelegram, SentEntry, UserInput, ChatInput } from "./fake-telegram.js";

export class GroupDriver {
  /** The bot message each person should reply to next. */
  private readonly lastQuestion = new Map<number, number>();

  constructor(
    readonly tg: FakeTelegram,
    readonly chat: ChatInput,
    private readonly timeoutMs = 15_000,
  ) {}

  private isFor(s: SentEntry, update: Update, user: UserInput): boolean {
    if (s.chatId !== this.chat.id) return false;
    // A summary's answer starts with its chart (a photo, or the first photo of an album).
    if (s.method !== "sendMessage" && s.method !== "sendDocument" && s.method !== "sendPhoto" && s.method !== "sendMediaGroup") return false;
    if (update.message && s.replyTo === update.message.message_id) return true;
    if (update.callback_query && s.replyTo === update.callback_query.message?.message_id) return true;
    // After a button press the bot names the person instead of replying to a message.
    return !!update.callback_query && (s.entities ?? []).some((e) => e.type === "text_mention" && e.user?.id === user.id);
  }

  /** Sends a message (a reply to the person's last question unless it is a command) and waits for the bot's reply. */
  async say(user: UserInput, text: string, opts: { reply?: boolean } = {}): Promise<SentEntry> {
    const fromIndex = this.tg.sent.length;
    const replyTo = opts.reply === false || text.startsWith("/") ? undefined : this.lastQuestion.get(user.id);
    const update = this.tg.userSays({ chat: this.chat, from: user, text, replyTo });
    const answer = await this.tg.waitFor((s) => this.isFor(s, update, user), this.timeoutMs, { fromIndex });
    if (answer.method === "sendMessage") this.lastQuestion.set(user.id, answer.messageId);
    return answer;
  }

  /** Presses the button whose callback data matches, on the given bot message. */
  async press(user: UserInput, message: SentEntry, data: string): Promise<SentEntry> {
    const fromIndex = this.tg.sent.length;
    const update = this.tg.userPresses({ chat: this.chat, from: user, messageId: message.messageId, data });
    const answer = await this.tg.waitFor((s) => this.isFor(s, update, user), this.timeoutMs, { fromIndex });
    if (answer.method === "sendMessage") this.lastQuestion.set(user.id, answer.messageId);
    return answer;
  }

  /** Waits for the report draft of an area to be posted to the group. */
  async draftFor(area: string, fromIndex = 0): Promise<SentEntry> {
    return this.tg.waitFor(
      (s) => s.chatId === this.chat.id && s.method === "sendDocument" && (s.caption ?? "").includes(area),
      this.timeoutMs,
      { fromIndex },
    );
  }

  /** The draft (a document) posted after an answer: a summary's chart and text come first, its draft follows. */
  async documentAfter(answer: SentEntry): Promise<SentEntry> {
    if (answer.method === "sendDocument") return answer;
    return this.tg.waitFor((s) => s.chatId === answer.chatId && s.method === "sendDocument", this.timeoutMs, { fromIndex: this.tg.sent.indexOf(answer) + 1 });
  }

  buttons(message: SentEntry): Array<{ text: string; data?: string }> {
    const markup = message.replyMarkup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
    return (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data }));
  }

  forget(user: UserInput): void {
    this.lastQuestion.delete(user.id);
  }

  remember(user: UserInput, messageId: number): void {
    this.lastQuestion.set(user.id, messageId);
  }
}
