// Small reads an adapter needs while turning a platform update into an event: the last question the bot asked
// a person in a chat (Zalo has no reply threading), and a person's stored chat name.
import type { Platform } from "../core/types.js";
import type { DB } from "./db.js";

export interface ChatLookups {
  /** The id of the last question the bot asked this person in this chat. */
  lastQuestion(chatId: string, userId: string): string | undefined;
  /** The person's chat name as last seen. */
  displayName(userId: string): string | undefined;
}

export function chatLookups(db: DB, platform: Platform): ChatLookups {
  const lastQuestion = db.prepare<[string, string, string], { message_id: string }>(
    `SELECT message_id FROM bot_messages WHERE platform = ? AND chat_id = ? AND owner_user_id = ? AND purpose = 'question'
      ORDER BY created_at DESC LIMIT 1`,
  );
  const personName = db.prepare<[string, string], { display_name: string }>("SELECT display_name FROM people WHERE platform = ? AND user_id = ?");
  return {
    lastQuestion: (chatId, userId) => lastQuestion.get(platform, chatId, userId)?.message_id,
    displayName: (userId) => personName.get(platform, userId)?.display_name,
  };
}
