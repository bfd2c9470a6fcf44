// Vietnamese place names change case with position: "Xã Tân Khai" in a list, "xã Tân Khai" inside a
// sentence, "XÃ TÂN KHAI" in a header, and "Tân Khai" before the date.
const LEVEL_WORDS = [
  "tổ dân phố", "khu dân cư", "khu phố", "thị trấn", "thành phố", "thị xã", "phường", "huyện", "tỉnh", "quận", "xã",
  "ấp", "thôn", "khu", "bản", "buôn", "sóc", "làng", "xóm", "tổ",
];

function leadingLevel(name: string): string | undefined {
  const lower = name.toLocaleLowerCase("vi");
  return LEVEL_WORDS.find((w) => lower.startsWith(`${w} `));
}

/** "Xã Tân Khai" → "xã Tân Khai" (for use inside a sentence). */
export function inSentence(name: string): string {
  const level = leadingLevel(name);
  return level ? level + name.slice(level.length) : name;
}

/** "Xã Tân Khai" → "Tân Khai" (the place before the date line). */
export function placeName(name: string): string {
  const level = leadingLevel(name);
  return level ? name.slice(level.length + 1) : name;
}

export function upper(text: string): string {
  return text.toLocaleUpperCase("vi");
}
