/** SNS accepts subjects of printable ASCII without line breaks, shorter than 100 characters. */
export const SNS_SUBJECT_MAX_CHARS = 99;

/**
 * A text as an SNS subject: accents and dashes folded to ASCII, other characters SNS rejects
 * dropped, whitespace collapsed, and cut with "..." to fit. Publishing with a longer subject fails,
 * so every SNS publish goes through this.
 */
export function snsSubject(text: string): string {
  const ascii = text
    .normalize("NFKD")
    .replace(/[–—]/g, "-")
    .replace(/\s+/g, " ")
    .replace(/[^\x20-\x7e]/g, "")
    .replace(/ {2,}/g, " ")
    .trim();
  return ascii.length > SNS_SUBJECT_MAX_CHARS ? `${ascii.slice(0, SNS_SUBJECT_MAX_CHARS - 3)}...` : ascii;
}
