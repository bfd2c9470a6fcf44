// Cutting text for chat without breaking characters. JavaScript strings are UTF-16: an emoji or a
// 𝟏-style digit is two code units, and a cut between them leaves half a character, which is not valid
// UTF-8 on the wire — Telegram then refuses the whole message.

/** At most `max` UTF-16 units of `text`, never ending with the first half of a surrogate pair. */
export function clipUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** Replaces any half of a surrogate pair standing alone (from a careless cut) with U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
