/**
 * A notification as content, before any channel's format: a title, a few summary lines, an
 * optional link, and lines grouped under section headings. The digest, the impending-patch notices
 * and the failure notifications are all written as documents; each channel renders and splits them.
 */
export interface NoticeDocument {
  readonly title: string;
  readonly summary: readonly string[];
  readonly link?: { readonly label: string; readonly url: string };
  readonly lines: readonly NoticeLine[];
}

export interface NoticeLine {
  /** Heading of the section the line belongs to; consecutive lines share it. */
  readonly section: string;
  readonly text: string;
}

/** One message of a split document: which part it is and its lines. */
export interface NoticePart {
  readonly part: number;
  readonly parts: number;
  readonly lines: readonly NoticeLine[];
}

/** How one channel renders a part and whether a rendered part is within the channel's limits. */
export interface ChannelFormat<Payload> {
  render(document: NoticeDocument, part: NoticePart): Payload;
  fits(payload: Payload): boolean;
}

/** Lines grouped by consecutive section. */
export function sectionsOf(lines: readonly NoticeLine[]): { heading: string; lines: string[] }[] {
  const sections: { heading: string; lines: string[] }[] = [];
  for (const line of lines) {
    const last = sections.at(-1);
    if (last && last.heading === line.section) last.lines.push(line.text);
    else sections.push({ heading: line.section, lines: [line.text] });
  }
  return sections;
}

export class LineTooLong extends Error {
  override readonly name = "LineTooLong";
}

/**
 * Packs a document's lines, in order, into as few messages as the channel's limits allow: every
 * line goes into exactly one message, none is dropped or cut. Packing renders with the widest part
 * numbers, so the final rendering (with the real numbers) fits as well.
 */
export function splitDocument<Payload>(document: NoticeDocument, format: ChannelFormat<Payload>): Payload[] {
  const groups: NoticeLine[][] = [[]];
  const widest = (lines: NoticeLine[]): NoticePart => ({ part: 999, parts: 999, lines });
  for (const line of document.lines) {
    const current = groups.at(-1)!;
    if (format.fits(format.render(document, widest([...current, line])))) {
      current.push(line);
      continue;
    }
    if (!format.fits(format.render(document, widest([line]))))
      throw new LineTooLong(`a line of ${line.text.length} characters fits no message of this channel: ${line.text.slice(0, 80)}…`);
    groups.push([line]);
  }
  return groups.map((lines, i) => format.render(document, { part: i + 1, parts: groups.length, lines }));
}
