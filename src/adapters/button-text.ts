// The text of a message on a platform with buttons (Telegram, the simulator): the body, then how to answer a
// choice (the buttons carry the options themselves), then the question's footer (how to go back or pause).
// Built from the core's structured question; nothing is read back from rendered text.
import type { Outgoing } from "../core/events.js";
import type { Messages } from "../core/messages.js";

export function textWithButtons(out: Pick<Outgoing, "text" | "question">, m: Messages): string {
  const q = out.question;
  const lines = [out.text];
  if (q?.kind === "choice") lines.push(m.choice_line);
  if (q?.footer) lines.push(q.footer);
  return lines.filter((l) => l !== "").join("\n");
}
