import type { Finding } from "./findings.js";
import type { Review } from "./review.js";

/** Marks the pull-request comment so CI updates it instead of adding another. */
export const COMMENT_MARKER = "<!-- patchline-plan-review -->";

const where = (f: Finding) => (f.stack === "(all)" || f.subject === `stack ${f.stack}` ? "" : `${f.stack}: `);
const line = (f: Finding, withStack = true) =>
  `- ${withStack ? where(f) : ""}**${f.subject}**: ${f.message}${f.addresses.length > 1 ? ` (${f.addresses.length} resources)` : ""}`;

export function renderMarkdown(review: Review): string {
  const out: string[] = [COMMENT_MARKER, "## patchline plan review", ""];
  if (review.stacks.length === 0 && review.risks.length === 0) {
    out.push(`No changes in ${review.unchangedStacks.length} stack${review.unchangedStacks.length === 1 ? "" : "s"}.`, "");
    return out.join("\n");
  }
  if (review.risks.length > 0) {
    out.push(`### ⚠️ Risky changes (${review.risks.length})`, "", ...review.risks.map((f) => line(f)), "");
  } else {
    out.push("No risky changes.", "");
  }
  const crossStack = review.crossStack.filter((f) => f.severity !== "risk");
  if (crossStack.length > 0) out.push("### Across environments", "", ...crossStack.map((f) => line(f)), "");

  if (review.stacks.length > 0) {
    out.push("### Changes per stack", "", "| environment | stack | create | update | replace | destroy |", "|---|---|---:|---:|---:|---:|");
    for (const s of review.stacks)
      out.push(`| ${s.environment} | ${s.stack} | ${s.counts.create} | ${s.counts.update} | ${s.counts.replace} | ${s.counts.destroy} |`);
    out.push("");
  }
  for (const s of review.stacks) {
    const explained = s.findings.filter((f) => f.severity !== "risk");
    if (explained.length === 0) continue;
    out.push(`#### ${s.stack}`, "", ...explained.map((f) => line(f, false)), "");
  }
  if (review.unchangedStacks.length > 0)
    out.push(`${review.unchangedStacks.length} stack${review.unchangedStacks.length === 1 ? "" : "s"} without changes.`, "");
  return out.join("\n");
}

/**
 * The review cut at a line boundary to at most `maxLength` characters, with a note where the rest
 * is (a GitHub comment holds 65,536). Risks and the counts come first, so they survive.
 */
export function limitMarkdown(markdown: string, maxLength: number, restIsIn: string): string {
  if (markdown.length <= maxLength) return markdown;
  const note = `\n… cut here to fit ${maxLength} characters; the whole review is in ${restIsIn}.\n`;
  const cut = markdown.lastIndexOf("\n", maxLength - note.length - 1);
  return `${markdown.slice(0, Math.max(cut, 0))}\n${note}`;
}
