// Telegram update → neutral event. Pure: everything the core needs is copied out, nothing of grammY leaks.
import type { Update, User } from "grammy/types";
import type { InboundEvent } from "../../core/events.js";

function nameOf(u: User): string {
  return [u.first_name, u.last_name].filter(Boolean).join(" ").trim() || u.username || String(u.id);
}

export function toEvent(update: Update, botId: number): InboundEvent | undefined {
  const updateKey = String(update.update_id);
  const base = (chat: { id: number; type: string; title?: string }, from: User) => ({
    platform: "telegram" as const,
    updateKey,
    chat: { id: String(chat.id), type: chat.type === "private" ? ("private" as const) : ("group" as const), title: chat.title },
    from: { id: String(from.id), name: nameOf(from), username: from.username },
  });

  if (update.my_chat_member) {
    // The bot's own membership: removed or blocked (kicked/left), or added back / unblocked.
    const m = update.my_chat_member;
    const s = m.new_chat_member;
    const present = s.status === "member" || s.status === "administrator" || s.status === "creator" || (s.status === "restricted" && s.is_member);
    const reason = m.chat.type === "private" ? "blocked" : s.status === "kicked" ? "kicked" : "left";
    return { ...base(m.chat, m.from), body: { kind: "bot_membership", present, reason: present ? undefined : reason } };
  }
  if (update.callback_query) {
    const q = update.callback_query;
    if (!q.message || !q.data) return undefined;
    return {
      ...base(q.message.chat, q.from),
      body: { kind: "choice", data: q.data, messageId: String(q.message.message_id), callbackId: q.id },
    };
  }
  if (update.edited_message?.from) {
    return { ...base(update.edited_message.chat, update.edited_message.from), body: { kind: "edited" } };
  }
  const msg = update.message;
  // Someone left or was removed (by anyone, a moderation bot too). The bot's own removal is my_chat_member's business.
  const left = msg?.left_chat_member;
  if (msg?.from && left && !left.is_bot && left.id !== botId) {
    return {
      ...base(msg.chat, msg.from),
      messageId: String(msg.message_id),
      body: { kind: "member_left", member: { id: String(left.id), name: nameOf(left), username: left.username } },
    };
  }
  if (!msg || !msg.from || msg.from.is_bot) return undefined;
  const ev = {
    ...base(msg.chat, msg.from),
    messageId: String(msg.message_id),
    replyTo: msg.reply_to_message
      ? { messageId: String(msg.reply_to_message.message_id), fromBot: msg.reply_to_message.from?.id === botId }
      : undefined,
  };
  if (msg.migrate_to_chat_id !== undefined) return { ...ev, body: { kind: "migrated", toChatId: String(msg.migrate_to_chat_id) } };
  if (typeof msg.text === "string") return { ...ev, body: { kind: "text", text: msg.text } };
  // Service messages (members joining, titles changing) are not addressed to the bot.
  const isContent = msg.sticker || msg.photo || msg.voice || msg.video || msg.document || msg.audio || msg.animation || msg.video_note || msg.location || msg.contact;
  return isContent ? { ...ev, body: { kind: "media" } } : undefined;
}
