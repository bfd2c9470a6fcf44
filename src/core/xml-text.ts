// Text that the XML inside a .docx or .xlsx can carry. XML 1.0 forbids the C0 controls other than tab, line
// feed and carriage return, the non-characters U+FFFE/U+FFFF and halves of surrogate pairs standing alone; one
// such character typed into an answer makes the whole file unreadable to Word and Excel. C1 controls and DEL
// are allowed by XML but no office program shows them, so they go too.
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `s` with line breaks as "\n" and every character XML forbids (see above) removed. */
export function xmlSafe(s: string): string {
  return s.replace(/\r\n?/g, "\n").replace(FORBIDDEN, "");
}
