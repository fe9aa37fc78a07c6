/** Account names become stack names (`<env>-<name>`): the schema allows 2-40 of a-z, 0-9 and "-", starting with a letter. */
const MAX = 40;

const clean = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

const fitToLength = (base: string, suffix = "") => `${base.slice(0, MAX - suffix.length).replace(/-+$/, "")}${suffix}`;

/**
 * The config name for an account, from its AWS name: accents dropped, lowercase, every run of
 * other characters one "-", trimmed to 40. A name that does not start with a letter gets
 * "account-" in front; an empty or one-letter name becomes "account-<id>" / "<letter>-<last 4>".
 */
export function deriveAccountName(awsName: string, id: string): string {
  let name = clean(awsName);
  if (name === "") return `account-${id}`;
  if (!/^[a-z]/.test(name)) name = `account-${name}`;
  name = fitToLength(name);
  return name.length < 2 ? `${name}-${id.slice(-4)}` : name;
}

/**
 * Names for new accounts that collide with each other or with names already taken: each gets
 * "-<last 4 digits of its id>", or "-<id>" when that collides too. Accounts are taken in id order,
 * so the same organization always gives the same names.
 */
export function uniqueNames(accounts: ReadonlyArray<{ id: string; name: string }>, taken: ReadonlySet<string>): Map<string, string> {
  const counts = new Map<string, number>();
  for (const a of accounts) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
  const used = new Set(taken);
  const result = new Map<string, string>();
  for (const a of [...accounts].sort((x, y) => x.id.localeCompare(y.id))) {
    const candidates = counts.get(a.name) === 1 && !used.has(a.name) ? [a.name] : [fitToLength(a.name, `-${a.id.slice(-4)}`), fitToLength(a.name, `-${a.id}`)];
    const name = candidates.find((c) => !used.has(c)) ?? fitToLength(a.name, `-${a.id}`);
    used.add(name);
    result.set(a.id, name);
  }
  return result;
}
