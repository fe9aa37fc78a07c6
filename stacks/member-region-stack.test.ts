import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../environments/schema/index.js";
import { exampleWith } from "../test/support/config.js";
import { DEFAULT_ENABLED_REGIONS } from "../test/fixtures/regions.js";
import type { Block, TerraformJson } from "../test/support/terraform-json.js";
import { bodiesOf } from "../test/support/terraform-json.js";
import { stackNames } from "./app/app.js";
import { memberStackEntries } from "./app/stack-list.js";
import { MemberAccountStack } from "./member-account-stack.js";
import { MemberRegionStack } from "./member-region-stack.js";
import { Naming } from "./naming.js";

const REGIONS = DEFAULT_ENABLED_REGIONS;

/** The example organization with prod's web-prod in all 17 regions, `max` regions per stack. */
const configWith = (max?: number, change: Parameters<typeof exampleWith>[0] = () => undefined) =>
  parseOrgConfig(
    exampleWith((d) => {
      d.environments.prod!.accounts[1]!.regions = [...REGIONS];
      if (max !== undefined) d.org.maxRegionsPerStack = max;
      change(d);
    }),
  );

/** Every member stack of web-prod, synthesized: name → Terraform JSON. */
function synthAccount(max?: number, change?: Parameters<typeof exampleWith>[0]): Map<string, TerraformJson> {
  const config = configWith(max, change);
  const naming = new Naming(config.org);
  const stacks = new Map<string, TerraformJson>();
  for (const entry of memberStackEntries(config).filter((e) => e.account.name === "web-prod")) {
    const app = Testing.app();
    const props = { org: config.org, environment: entry.environment, account: entry.account, naming, mode: { offline: true } };
    const stack =
      entry.region === undefined ? new MemberAccountStack(app, entry.name, props) : new MemberRegionStack(app, entry.name, { ...props, region: entry.region });
    stacks.set(entry.name, JSON.parse(Testing.synth(stack)) as TerraformJson);
  }
  return stacks;
}

const providersOf = (json: TerraformJson) => (json.provider?.aws ?? []).map((p) => String(p.region));
/** Every `type.name` a stack declares, resources and data sources. */
const declared = (json: TerraformJson) =>
  new Set([
    ...Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)),
    ...Object.entries(json.data ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`)),
  ]);
/** Every resource or data source a stack's expressions reference. */
const referenced = (json: TerraformJson) => new Set([...JSON.stringify(json).matchAll(/\$\{((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)].map((m) => m[1]!));
/** Resource addresses of the region's construct path (the region's patching, forwarding, sync, rules). */
const regionAddresses = (json: TerraformJson, region: string) =>
  Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ address: `${type}.${name}`, body })))
    .filter(({ address, body }) => body.provider === `aws.${region}` && !address.includes("Account_"))
    .map(({ address }) => address)
    .sort();

describe("an account in more regions than a stack holds", () => {
  const stacks = synthAccount();
  const names = [...stacks.keys()];

  it("keeps its first six regions in its own stack and gives each further region a stack of its own, selected by 'prod-*'", () => {
    expect(names).toEqual(["prod-web-prod", ...REGIONS.slice(6).map((r) => `prod-web-prod-${r}`)]);
    expect(providersOf(stacks.get("prod-web-prod")!)).toEqual(REGIONS.slice(0, 6));
    for (const region of REGIONS.slice(6)) expect(providersOf(stacks.get(`prod-web-prod-${region}`)!)).toEqual([region]);
    expect(stackNames(configWith())).toEqual(expect.arrayContaining(names));
  });

  it("renders every region's windows exactly once over its stacks", () => {
    const windows = [...stacks.values()].flatMap((json) => bodiesOf(json, "aws_ssm_maintenance_window").map((w) => String(w.provider)));
    expect(windows.sort()).toEqual(REGIONS.map((r) => `aws.${r}`).sort());
  });

  it("runs every region's windows in the account's canary wave, whichever stack renders it, with the same stacks and addresses", () => {
    // web-prod moves from the canary wave to main (the last wave: accounts without one are in it)
    const inMain = synthAccount(undefined, (d) => {
      delete d.environments.prod.accounts[1].wave;
      d.environments.prod.accounts[0].wave = "canary";
    });
    expect([...inMain.keys()]).toEqual(names);
    for (const [name, json] of inMain) expect({ name, declared: declared(json) }).toEqual({ name, declared: declared(stacks.get(name)!) });
    const timing = (json: TerraformJson) =>
      bodiesOf(json, "aws_ssm_maintenance_window").map((w) => `${w.schedule} + ${w.schedule_offset ?? 0} days: ${w.description}`);
    expect(new Set([...stacks.values()].flatMap(timing))).toEqual(
      new Set(["cron(0 21 ? * WED#1 *) + 0 days: Production fleet, first Wednesday of the month 21:00 Central; wave canary (first)"]),
    );
    expect(new Set([...inMain.values()].flatMap(timing))).toEqual(
      new Set(["cron(0 21 ? * WED#1 *) + 2 days: Production fleet, first Wednesday of the month 21:00 Central; wave main (+48 h)"]),
    );
  });

  it("references nothing outside each stack: a region's stack has its own roles, named after the region", () => {
    for (const [name, json] of stacks) {
      expect(referenced(json).size).toBeGreaterThan(10);
      const missing = [...referenced(json)].filter((ref) => !declared(json).has(ref));
      expect({ name, missing }).toEqual({ name, missing: [] });
    }
    const tokyo = stacks.get("prod-web-prod-ap-northeast-1")!;
    expect(
      bodiesOf(tokyo, "aws_iam_role")
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "patchline-event-forwarding-ap-northeast-1",
      "patchline-maintenance-window-ap-northeast-1",
      // the install runbooks' and AWS Backup's roles; the restore roles are account-wide, in the account's stack
      "patchline-patch-automation-ap-northeast-1",
      "patchline-pre-patch-backup-ap-northeast-1",
    ]);
    const windowsPolicy = Object.entries(tokyo.data?.aws_iam_policy_document ?? {}).find(([name]) =>
      name.includes("MaintenanceWindowRole_Permissions"),
    )![1] as Block;
    const arns = (windowsPolicy.statement as Block[]).flatMap((s) => (s.resources as string[]).filter((r) => r.startsWith("arn:")));
    expect(arns.length).toBeGreaterThan(3);
    // the install runbooks have the same name in every region: the role starts them by name, in any region of this account only
    const anyRegionOfTheAccount = (arn: string) => arn.startsWith("arn:aws:ssm:*:400000000002:");
    expect(arns.filter((arn) => !arn.includes("ap-northeast-1") && !arn.startsWith("arn:aws:iam::") && !anyRegionOfTheAccount(arn))).toEqual([]);
    expect(arns.filter((arn) => arn.startsWith("arn:aws:iam::"))).toEqual([
      "arn:aws:iam::400000000002:role/patchline-patch-automation-ap-northeast-1",
      "arn:aws:iam::400000000002:role/patchline-maintenance-window-ap-northeast-1",
    ]);
  });

  it("gives the account-wide roles every region, the windows' role only its own stack's", () => {
    const home = JSON.stringify(stacks.get("prod-web-prod")!.data ?? {});
    // the compliance reader reads every region; the windows' role sends commands in the first six only
    expect(home).toContain("arn:aws:ssm:ap-southeast-2:400000000002:");
    const windowsPolicy = JSON.stringify(
      Object.entries(stacks.get("prod-web-prod")!.data?.aws_iam_policy_document ?? {}).find(([name]) =>
        name.includes("MaintenanceWindowRole_Permissions"),
      )![1] as Block,
    );
    expect(windowsPolicy).toContain("arn:aws:ec2:sa-east-1:400000000002:instance/*");
    expect(windowsPolicy).not.toContain("arn:aws:ec2:eu-west-1:400000000002:instance/*");
  });

  it("keeps a region's resource addresses when it moves from the account's stack to its own (a state move, no replacement)", () => {
    const whole = synthAccount(17).get("prod-web-prod")!;
    for (const region of ["eu-west-1", "ap-southeast-2"]) {
      const moved = regionAddresses(stacks.get(`prod-web-prod-${region}`)!, region);
      expect(moved.length).toBeGreaterThan(20);
      expect(moved).toEqual(regionAddresses(whole, region));
    }
  });
});
