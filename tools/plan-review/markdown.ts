import type { Finding } from "./findings.js";
import { environmentOf } from "./plan-json.js";
import type { ChangeCounts, Review, StackReview } from "./review.js";

/** Marks the pull-request comment so CI updates it instead of adding another. */
export const COMMENT_MARKER = "<!-- patchline-plan-review -->";

/** Stacks named in a line at most; the JSON has them all. */
const NAMES_SHOWN = 5;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `a, b, c, d, e and 295 more` */
function names(stacks: readonly string[]): string {
  if (stacks.length <= NAMES_SHOWN) return stacks.join(", ");
  return `${stacks.slice(0, NAMES_SHOWN).join(", ")} and ${stacks.length - NAMES_SHOWN} more`;
}

/**
 * Which stacks, said the short way: by name when few, else as a count of the environment's
 * changed stacks with the ones left out named (`299 of 300 prod stacks, all but prod-data-prod`).
 */
function which(stacks: readonly string[], of: readonly string[], environment: string): string {
  if (stacks.length === 1) return stacks[0]!;
  if (stacks.length === of.length) return `all ${of.length} ${environment} stacks`;
  const left = of.filter((s) => !stacks.includes(s));
  if (left.length <= NAMES_SHOWN) return `${stacks.length} of ${of.length} ${environment} stacks, all but ${left.join(", ")}`;
  return `${stacks.length} of ${of.length} ${environment} stacks: ${names(stacks)}`;
}

const text = (f: Finding) => `**${f.subject}**: ${f.message}`;
/** About the stack as a whole (removed, failed, not planned): the subject names the stack itself. */
const aboutStack = (f: Finding) => f.subject === `stack ${f.stack}`;
/** What a finding says, whichever stack it is of: the same key in several stacks collapses into one line. */
const key = (f: Finding) => JSON.stringify([f.severity, aboutStack(f) ? "stack" : f.subject, f.message]);
const resources = (f: Finding) => (f.addresses.length > 1 ? ` (${f.addresses.length} resources)` : "");

/** Findings that say the same of several stacks, once, with the stacks they hold in. */
function collapse(findings: readonly Finding[]): Array<{ finding: Finding; stacks: string[] }> {
  const byKey = new Map<string, { finding: Finding; stacks: string[] }>();
  for (const f of findings) {
    const seen = byKey.get(key(f));
    if (seen) seen.stacks.push(f.stack);
    else byKey.set(key(f), { finding: f, stacks: [f.stack] });
  }
  return [...byKey.values()];
}

function riskLines(risks: readonly Finding[]): string[] {
  return collapse(risks).map(({ finding, stacks }) => {
    if (stacks.length > 1) {
      const environments = [...new Set(stacks.map(environmentOf))];
      const where = environments.length === 1 ? `${environments[0]} stacks` : "stacks";
      return `- **${stacks.length} ${where}** (${names(stacks)}): ${aboutStack(finding) ? finding.message : text(finding)}`;
    }
    const about = finding.stack === "(all)" || aboutStack(finding) ? "" : `${finding.stack}: `;
    return `- ${about}${text(finding)}${resources(finding)}`;
  });
}

function countsTable(stacks: readonly StackReview[]): string[] {
  const rows = new Map<string, { environment: string; counts: ChangeCounts; stacks: string[] }>();
  for (const s of stacks) {
    const row = JSON.stringify([s.environment, s.counts]);
    if (rows.has(row)) rows.get(row)!.stacks.push(s.stack);
    else rows.set(row, { environment: s.environment, counts: s.counts, stacks: [s.stack] });
  }
  return [
    "### Changes per stack",
    "",
    "| environment | stack | create | update | replace | destroy |",
    "|---|---|---:|---:|---:|---:|",
    ...[...rows.values()].map(({ environment, counts: c, stacks: named }) => {
      const label = which(
        named,
        stacks.filter((s) => s.environment === environment).map((s) => s.stack),
        environment,
      );
      return `| ${environment} | ${label} | ${c.create} | ${c.update} | ${c.replace} | ${c.destroy} |`;
    }),
    "",
  ];
}

/**
 * One environment's changes. A single stack: its findings. Several: each finding once, with the
 * stacks it holds in; stacks whose changes differ from the most common set are called out.
 */
function environmentSection(environment: string, stacks: readonly StackReview[]): string[] {
  const explained = stacks.map((s) => ({ stack: s.stack, findings: s.findings.filter((f) => f.severity !== "risk") }));
  if (explained.every((s) => s.findings.length === 0)) return [];
  if (stacks.length === 1) return [`#### ${stacks[0]!.stack}`, "", ...explained[0]!.findings.map((f) => `- ${text(f)}${resources(f)}`), ""];

  const all = stacks.map((s) => s.stack);
  const setOf = (findings: readonly Finding[]) => JSON.stringify(findings.map(key).sort());
  const groups = new Map<string, string[]>();
  for (const s of explained) groups.set(setOf(s.findings), [...(groups.get(setOf(s.findings)) ?? []), s.stack]);
  const [majoritySet] = [...groups].sort(([, a], [, b]) => b.length - a.length || a[0]!.localeCompare(b[0]!))[0]!;
  const majorityKeys = new Set(JSON.parse(majoritySet) as string[]);

  // the majority's findings, each once with the stacks it holds in
  const common = collapse(explained.flatMap((s) => s.findings)).filter(({ finding }) => majorityKeys.has(key(finding)));
  const lines = common.map(({ finding, stacks: holding }) => `- ${text(finding)} — ${which(holding, all, environment)}`);
  for (const [set, members] of groups) {
    if (set === majoritySet) continue;
    const own = explained.find((s) => s.stack === members[0])!.findings;
    const ownKeys = new Set(own.map(key));
    const also = own.filter((f) => !majorityKeys.has(key(f))).map(text);
    const without = common.filter(({ finding }) => !ownKeys.has(key(finding))).map(({ finding }) => text(finding));
    const parts = [...(also.length > 0 ? [`also ${also.join("; ")}`] : []), ...(without.length > 0 ? [`not ${without.join("; ")}`] : [])];
    lines.push(`- except ${names(members)}: ${parts.join(" — ")}`);
  }
  return [`#### ${environment}: ${plural(stacks.length, "stack")} with changes`, "", ...lines, ""];
}

export function renderMarkdown(review: Review): string {
  const out: string[] = [COMMENT_MARKER, "## patchline plan review", ""];
  if (review.stacks.length === 0 && review.risks.length === 0) {
    out.push(`No changes in ${plural(review.unchangedStacks.length, "stack")}.`, "");
    return out.join("\n");
  }
  if (review.risks.length > 0) out.push(`### ⚠️ Risky changes (${review.risks.length})`, "", ...riskLines(review.risks), "");
  else out.push("No risky changes.", "");
  const crossStack = review.crossStack.filter((f) => f.severity !== "risk");
  if (crossStack.length > 0) out.push("### Across environments", "", ...crossStack.map((f) => `- ${text(f)}${resources(f)}`), "");

  if (review.stacks.length > 0) out.push(...countsTable(review.stacks));
  const environments = [...new Set(review.stacks.map((s) => s.environment))];
  for (const environment of environments)
    out.push(
      ...environmentSection(
        environment,
        review.stacks.filter((s) => s.environment === environment),
      ),
    );
  if (review.unchangedStacks.length > 0) out.push(`${plural(review.unchangedStacks.length, "stack")} without changes.`, "");
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
