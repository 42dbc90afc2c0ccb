/**
 * FTP roots relative to the customer's home. Custos does not run the FTP server, but whatever
 * it stores is handed to one, so the path must be unable to leave the home on any of them:
 * no absolute paths, drive letters or UNC names, no `..` (also not in a form some layer might
 * turn into one: backslashes, percent-encoding, full-width dots, trailing dots or spaces), no
 * NUL or other control characters, valid UTF-8 only. The stored form is NFC with single slashes
 * and no `.` segments; the empty string is the home itself.
 */
export type RootCheck = { ok: true; path: string } | { ok: false; reason: string };

const MAX_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const ENCODED = /%(?:2e|2f|5c|00)/i;
// Only dots and blanks: "..", "...", ". .", ".. " are all ".." to some file system or server.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DOTS_ONLY = /^[.\s]*\.[.\s]*\.[.\s]*$|^\.\s+$|^\s+\.$/;

export function checkRelativeRoot(input: string): RootCheck {
  if (LONE_SURROGATE.test(input)) return { ok: false, reason: "must be valid UTF-8 text" };
  if (CONTROL.test(input)) return { ok: false, reason: "must not contain NUL or other control characters" };
  if (input.includes("\\")) return { ok: false, reason: "must use / as separator, not \\" };
  if (ENCODED.test(input)) return { ok: false, reason: "must not contain percent-encoded dots, slashes or NUL" };
  const nfc = input.normalize("NFC");
  // Compatibility forms (full-width dot and solidus) turn into "." and "/" under NFKC.
  const folded = nfc.normalize("NFKC");
  if (nfc.startsWith("/") || folded.startsWith("/")) return { ok: false, reason: "must be relative: no leading /" };
  if (/^[a-zA-Z]:/.test(folded) || folded.startsWith("~")) return { ok: false, reason: "must be relative: no drive letter or ~" };
  for (const seg of folded.split("/")) {
    if (DOTS_ONLY.test(seg)) return { ok: false, reason: "must not contain .. segments" };
  }
  const segments = nfc.split("/").filter((s) => s !== "" && s !== ".");
  for (const seg of segments) {
    if (seg !== seg.trim()) return { ok: false, reason: "path segments must not start or end with blanks" };
    if (Buffer.byteLength(seg) > MAX_SEGMENT_BYTES) return { ok: false, reason: `path segments must be at most ${MAX_SEGMENT_BYTES} bytes` };
  }
  const path = segments.join("/");
  if (Buffer.byteLength(path) > MAX_BYTES) return { ok: false, reason: `must be at most ${MAX_BYTES} bytes` };
  return { ok: true, path };
}
