/**
 * Text from member accounts (tag values, names) as one line of plain text. A value may hold line
 * breaks (CR, LF, NEL, U+2028/2029), other control characters, or bidirectional overrides: in a
 * mail or chat line they could start a line that looks like patchline's own ("Approve here: …") or
 * reorder what the reader sees. Each run of them becomes one space; the rest is kept as it is.
 */
// C0 and C1 controls (line breaks among them), line and paragraph separators, bidi embeddings,
// overrides and isolates, and the zero-width marks that steer them
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

export function oneLine(text: string): string {
  return text.replace(UNSAFE, " ");
}

/**
 * Bare URLs made unclickable but still readable: a word joiner after the scheme's colon and after
 * `www`, so a chat client's automatic linking does not turn `https://evil.example` or
 * `www.evil.example` in a tag value into a link. Only for text patchline shows, never for links it builds.
 */
export function unlinkUrls(text: string): string {
  return text.replace(/\b(https?|ftp|file|mailto|ms-[a-z-]+):/gi, "$1:\u2060").replace(/\bwww\./gi, "www\u2060.");
}
