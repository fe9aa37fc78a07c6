/**
 * AWS-RunPatchBaseline's InstallOverrideList: a YAML list of the patches an Install operation
 * installs instead of the baseline's approved ones. Two writers share this one format: a promoted
 * environment's list (stacks/promotion, from its promotion record) and an emergency run's list of
 * named patches (functions/emergency, from `npm run patch-now -- --patches`).
 *
 * What the Patch Manager user guide (AWS-RunPatchBaseline, parameter InstallOverrideList) says
 * about the entries: `id` is required, `title` optional. Windows: a Microsoft KB id (KB2736693) or
 * a security bulletin id (MS17-023). Linux: the package name and architecture (`dhclient.x86_64`),
 * wildcards allowed (`dhcp*`); a title narrows it to versions. Advisory ids of Linux distributions
 * (ALAS-…, RHSA-…, CVE-…) are no entries: a list names packages.
 */

export interface InstallOverrideEntry {
  readonly id: string;
  /** The exact update (Windows: its title; Linux: `name.arch:epoch:version-release`). @default - every version the id matches */
  readonly title?: string;
}

// a YAML single-quoted scalar: quotes doubled; a line break would end the scalar, so none is kept
const quoted = (value: string): string => `'${value.replace(/[\r\n]+/g, " ").replaceAll("'", "''")}'`;

/**
 * The list's text: comment lines (who wrote it and why), then the entries in the order given. A
 * list without entries is `patches: []`, which installs nothing.
 */
export function installOverrideListText(comments: readonly string[], entries: readonly InstallOverrideEntry[]): string {
  const lines = comments.map((comment) => `# ${comment.replace(/[\r\n]+/g, " ")}`);
  if (entries.length === 0) lines.push("patches: []");
  else lines.push("patches:");
  for (const entry of entries) {
    lines.push(`  - id: ${quoted(entry.id)}`);
    if (entry.title !== undefined) lines.push(`    title: ${quoted(entry.title)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Windows: a KB id or a Microsoft security bulletin id. */
const WINDOWS_ID = /^(KB\d{4,8}|MS\d{2}-\d{3})$/i;
/** Linux: a package name with its architecture, or a name pattern (letters, digits, `._+-:~` and `*`). */
const PACKAGE_ID = /^[A-Za-z0-9*][A-Za-z0-9._+:~*-]{0,127}$/;
/** Advisory and vulnerability ids of the Linux distributions Patch Manager supports. */
const ADVISORY_ID =
  /^(ALAS\d*(-[A-Z0-9]+)?-\d{4}-\d+|(RHSA|RHBA|RHEA|ALSA|RLSA)-\d{4}:\d+|ELSA-\d{4}-\d+|CVE-\d{4}-\d+|USN-\d+-\d+|(DSA|DLA)-\d+(-\d+)?|SUSE-[A-Z]+-\d{4}:\d+(-\d+)?)$/i;

/** What is wrong with a patch id named for an InstallOverrideList, or undefined for a usable one. */
export function namedPatchProblem(id: string): string | undefined {
  if (ADVISORY_ID.test(id))
    return `${JSON.stringify(id)} is an advisory id; an InstallOverrideList names patches, not advisories: on Linux the packages the advisory fixes as name.arch (e.g. openssl.x86_64, as DescribeInstancePatches lists them), on Windows KB ids`;
  if (WINDOWS_ID.test(id) || PACKAGE_ID.test(id)) return undefined;
  return `${JSON.stringify(id)} is not a patch id: a KB id (KB5034441) or security bulletin (MS17-023) on Windows, a package name.arch (openssl.x86_64, wildcards allowed: openssl*) on Linux`;
}
