import { oneLine } from "../escape/plain-text.js";
import { SNS_SUBJECT_MAX_CHARS, snsSubject } from "../sns-subject.js";
import { sectionsOf, type ChannelFormat, type NoticeDocument, type NoticePart } from "./document.js";

/** An SNS e-mail: subject and plain text. */
export interface EmailMessage {
  readonly subject: string;
  readonly body: string;
}

/**
 * SNS takes subjects under 100 characters of printable ASCII without line breaks, and messages up
 * to 256 KB; a message keeps to 200,000 bytes.
 */
export const emailLimits = { subjectChars: SNS_SUBJECT_MAX_CHARS, bodyBytes: 200_000 } as const;

export const emailFormat: ChannelFormat<EmailMessage> = {
  render(document: NoticeDocument, part: NoticePart): EmailMessage {
    const label = part.parts > 1 ? ` (${part.part}/${part.parts})` : "";
    // each text of the document is one line of the mail: a line break in a tag value would start a
    // line of its own that reads like patchline's
    const lines = [
      ...document.summary.map(oneLine),
      ...(document.link ? ["", `${document.link.label}: ${document.link.url}`] : []),
      ...sectionsOf(part.lines).flatMap((s) => ["", oneLine(s.heading), "-".repeat(Math.min(s.heading.length, 72)), ...s.lines.map(oneLine)]),
    ];
    return { subject: snsSubject(`${document.title}${label}`), body: `${lines.join("\n")}\n` };
  },
  fits(payload: EmailMessage): boolean {
    return Buffer.byteLength(payload.body, "utf8") <= emailLimits.bodyBytes;
  },
};
