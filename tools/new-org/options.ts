import { ConfigError, operatingSystems, parseOrgConfig, type OperatingSystem } from "../../environments/schema/index.js";
import { defaultOperatingSystems, timeZoneOf } from "./defaults.js";
import { scaffoldOrganization, type ScaffoldAccount, type ScaffoldOptions } from "./model.js";

/** The command line of `npm run new-org`, as parsed (`undefined`: not given). */
export interface NewOrgFlags {
  readonly "organization-id"?: string;
  readonly central?: string;
  readonly region?: string;
  readonly environments?: string;
  readonly account?: readonly string[];
  readonly "name-prefix"?: string;
  readonly "deploy-role"?: string;
  readonly "plan-role"?: string;
  readonly "state-bucket"?: string;
  readonly "central-name"?: string;
  readonly "operating-systems"?: string;
  readonly "time-zone"?: string;
}

export const flagDefaults = { namePrefix: "patchline", deployRole: "patchline-deploy", centralName: "tooling" } as const;

/** The state bucket when --state-bucket is not given: one per central account and region. */
export const derivedStateBucket = (namePrefix: string, central: string, region: string): string => `${namePrefix}-tfstate-${central}-${region}`;

const required = [
  ["organization-id", "the AWS Organizations id, e.g. o-a1b2c3d4e5"],
  ["central", "the 12-digit id of the central tooling account"],
  ["region", "the home region, e.g. eu-central-1"],
  ["environments", "environment names in promotion order, e.g. dev,prod"],
] as const;

/** File names the organization itself takes in the folder. */
const takenFileNames = new Set(["org", "index"]);

const show = (value: string) => JSON.stringify(value);
const list = (text: string) => text.split(",").map((part) => part.trim());

export type ScaffoldResult =
  | { readonly options: ScaffoldOptions; readonly problems?: undefined }
  | { readonly options?: undefined; readonly problems: readonly string[] };

/**
 * The scaffold's options from the command line: its own syntax checked here, every value then
 * checked by building the organization and running the real `parseOrgConfig` on it, each problem
 * named by the flag it comes from. All problems are reported together.
 */
export function scaffoldOptions(flags: NewOrgFlags): ScaffoldResult {
  const problems: string[] = [];
  /** Flags without a usable value, reported already: what the schema says about them would repeat it. */
  const unusable = new Set<string>();
  for (const [flag, what] of required) {
    if (flags[flag] !== undefined && flags[flag].trim() !== "") continue;
    problems.push(`--${flag} is required: ${what}`);
    unusable.add(`--${flag}`);
  }

  const given = flags.environments === undefined ? [] : list(flags.environments);
  const environments = given.filter((e) => e !== "" && !takenFileNames.has(e));
  if (given.some((e) => e === "") && !unusable.has("--environments")) {
    problems.push(`--environments: ${show(flags.environments!)} has an empty name; list environment names in promotion order, e.g. "dev,prod"`);
  }
  if (environments.length === 0) unusable.add("--environments");
  for (const name of given.filter((e) => takenFileNames.has(e))) {
    problems.push(
      `--environments: ${show(name)} cannot be an environment name: ${name}.ts holds the ${name === "org" ? "organization settings" : "organization"}`,
    );
  }

  const systems = flags["operating-systems"] === undefined ? [...defaultOperatingSystems] : list(flags["operating-systems"]).filter((o) => o !== "");
  for (const os of systems.filter((o) => !(operatingSystems as readonly string[]).includes(o))) {
    problems.push(`--operating-systems: ${show(os)} is not an operating system; allowed: ${operatingSystems.join(", ")}`);
  }
  const usableSystems = systems.filter((o): o is OperatingSystem => (operatingSystems as readonly string[]).includes(o));
  if (systems.length === 0) problems.push(`--operating-systems: name at least one of ${operatingSystems.join(", ")}`);
  if (usableSystems.length === 0) unusable.add("--operating-systems");
  const duplicateOs = systems.filter((o, i) => systems.indexOf(o) !== i);
  if (duplicateOs.length > 0) problems.push(`--operating-systems: ${duplicateOs.map(show).join(", ")} is listed twice`);

  /** The --account value behind `<env>.accounts[<i>]`, to name it in problems. */
  const accountFlags = new Map<string, string>();
  const accounts: Record<string, ScaffoldAccount[]> = {};
  for (const value of flags.account ?? []) {
    const match = /^([^=:]+)=([^:]+)(?::(.*))?$/.exec(value);
    if (!match) {
      problems.push(`--account: ${show(value)} is not <env>=<12-digit account id>[:<name>] (e.g. "prod=123456789012:web-prod")`);
      continue;
    }
    const [, environment, id, name] = match as unknown as [string, string, string, string | undefined];
    if (!environments.includes(environment)) {
      if (!unusable.has("--environments"))
        problems.push(
          `--account: ${show(value)} names environment ${show(environment)}, which is not in --environments (${environments.join(", ") || "none"})`,
        );
      continue;
    }
    const entries = (accounts[environment] ??= []);
    accountFlags.set(`${environment}.accounts[${entries.length}]`, value);
    entries.push({ id, name: name === undefined || name === "" ? `account-${id}` : name });
  }

  const namePrefix = flags["name-prefix"] ?? flagDefaults.namePrefix;
  const options: ScaffoldOptions = {
    organizationId: flags["organization-id"] ?? "",
    central: { accountId: flags.central ?? "", accountName: flags["central-name"] ?? flagDefaults.centralName },
    region: flags.region ?? "",
    environments,
    namePrefix,
    deployRoleName: flags["deploy-role"] ?? flagDefaults.deployRole,
    ...(flags["plan-role"] === undefined ? {} : { planRoleName: flags["plan-role"] }),
    stateBucket: flags["state-bucket"] ?? derivedStateBucket(namePrefix, flags.central ?? "", flags.region ?? ""),
    timeZone: flags["time-zone"] ?? timeZoneOf(flags.region ?? ""),
    operatingSystems: usableSystems,
    accounts,
  };
  try {
    parseOrgConfig(scaffoldOrganization(options));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...flagProblems(error.problems, flags, accountFlags, unusable));
  }
  return problems.length > 0 ? { problems: [...new Set(problems)] } : { options };
}

/** Which flag a configuration path comes from (`undefined`: from the scaffold itself). */
function flagOf(path: string, environments: readonly string[]): string | undefined {
  if (/^org\.organizationId\b/.test(path)) return "--organization-id";
  if (/^org\.central\.accountId\b/.test(path)) return "--central";
  if (/^org\.central\.accountName\b/.test(path)) return "--central-name";
  if (/^org\.(central|stateBackend)\.region\b/.test(path) || /^\w+\.regions\b/.test(path)) return "--region";
  if (/^org\.stateBackend\.bucket\b/.test(path)) return "--state-bucket";
  if (/^org\.(namePrefix|stateBackend\.keyPrefix)\b/.test(path)) return "--name-prefix";
  if (/^org\.deployRoleName\b/.test(path)) return "--deploy-role";
  if (/^org\.planRoleName\b/.test(path)) return "--plan-role";
  if (/\.timeZone$/.test(path)) return "--time-zone";
  if (/^org\.promotionOrder\b/.test(path) || environments.includes(path)) return "--environments";
  if (/^org\.baselines\b/.test(path) || /^[^.]+\.patchGroups\[\d+\]\.operatingSystems\b/.test(path)) return "--operating-systems";
  if (/^[^.]+\.accounts\[\d+\]/.test(path)) return "--account";
  return undefined;
}

/** `org.central.accountId: "12" is not …` → `--central: "12" is not …`, once per flag and message. */
function flagProblems(problems: readonly string[], flags: NewOrgFlags, accountFlags: ReadonlyMap<string, string>, unusable: ReadonlySet<string>): string[] {
  const environments = flags.environments === undefined ? [] : list(flags.environments);
  const lines = problems.map((problem): string | undefined => {
    const at = problem.indexOf(": ");
    const [path, message] = [problem.slice(0, at), problem.slice(at + 2)];
    const flag = flagOf(path, environments);
    if (flag === undefined) return `${path}: ${message} (a problem of the scaffold itself; please report it)`;
    if (unusable.has(flag)) return undefined;
    if (flag === "--account") return `--account ${show(accountFlags.get(/^[^.]+\.accounts\[\d+\]/.exec(path)![0]) ?? path)}: ${message}`;
    if (flag === "--state-bucket" && flags["state-bucket"] === undefined) {
      // a derived name is only wrong when what it is derived from is, and that is reported
      const sources = ["org.namePrefix", "org.central.accountId", "org.central.region"];
      if (unusable.has("--central") || unusable.has("--region") || problems.some((p) => sources.some((s) => p.startsWith(`${s}:`)))) return undefined;
      return `--state-bucket: ${message} (derived from --name-prefix, --central and --region; give --state-bucket)`;
    }
    // the key prefix is the name prefix: one message is enough
    if (path === "org.stateBackend.keyPrefix" && problems.some((p) => p.startsWith("org.namePrefix:"))) return undefined;
    return `${flag}: ${message}`;
  });
  return lines.filter((line): line is string => line !== undefined);
}
