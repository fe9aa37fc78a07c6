import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { synthOrg } from "../../test/support/synth.js";
import { schedulePreviewCommand } from "../schedule-preview.js";
import { importOrganization, organizationFolder, runNewOrg, typeErrors } from "../../test/support/new-org.js";

const required = ["--organization-id", "o-a1b2c3d4e5", "--central", "100000000001"];

const cases = [
  {
    name: "one environment",
    argv: [...required, "--region", "us-east-1", "--environments", "prod"],
    stacks: ["central"],
    approveAfterDays: [0],
    timeZone: "America/New_York",
  },
  {
    name: "dev and prod",
    argv: [...required, "--region", "eu-central-1", "--environments", "dev,prod"],
    stacks: ["central"],
    approveAfterDays: [0, 7],
    timeZone: "Europe/Berlin",
  },
  {
    name: "dev, preprod and prod with --account",
    argv: [
      ...required,
      ...["--region", "us-east-1", "--environments", "dev,preprod,prod"],
      ...["--account", "dev=200000000001:web-dev", "--account", "prod=400000000001:web-prod", "--account", "prod=400000000002"],
    ],
    stacks: ["central", "dev-web-dev", "prod-account-400000000002", "prod-web-prod"],
    approveAfterDays: [0, 7, 14],
    timeZone: "America/New_York",
  },
  {
    name: "another region, other OSes, prefix and plan role",
    argv: [
      ...required,
      ...["--region", "ap-southeast-2", "--environments", "test,stage,live,new"],
      ...[
        "--operating-systems",
        "UBUNTU,REDHAT_ENTERPRISE_LINUX,WINDOWS",
        "--name-prefix",
        "acme-patching",
        "--plan-role",
        "acme-plan",
        "--central-name",
        "shared-tools",
      ],
    ],
    stacks: ["central"],
    approveAfterDays: [0, 7, 14, 21],
    timeZone: "Australia/Sydney",
  },
];

interface Scaffolded {
  readonly dir: string;
  readonly organization: OrgConfigInput;
  readonly remove: () => void;
}

const scaffolds = new Map<string, Scaffolded>();

beforeAll(async () => {
  for (const c of cases) {
    const folder = organizationFolder();
    const result = runNewOrg([...c.argv, "--dir", folder.dir]);
    if (result.code !== 0) throw new Error(`${c.name}: exit ${result.code}\n${result.err}`);
    scaffolds.set(c.name, { dir: folder.dir, remove: folder.remove, organization: await importOrganization(folder.dir) });
  }
});
afterAll(() => scaffolds.forEach((s) => s.remove()));

describe.each(cases)("npm run new-org: $name", (c) => {
  it("writes org.ts, one file per environment and index.ts, and leaves schema/ alone", () => {
    const { dir } = scaffolds.get(c.name)!;
    const environments = c.argv[c.argv.indexOf("--environments") + 1]!.split(",");
    expect(readdirSync(dir).sort()).toEqual(["index.ts", "org.ts", "schema", ...environments.map((e) => `${e}.ts`)].sort());
  });

  it("exports an organization that parses, with approve-after-days staggered along the promotion order", () => {
    const config = parseOrgConfig(scaffolds.get(c.name)!.organization);
    expect(config.environments.map((e) => e.approveAfterDays)).toEqual(c.approveAfterDays);
    expect(config.environments.flatMap((e) => e.maintenanceWindows.map((w) => w.timeZone))).toEqual(c.approveAfterDays.map(() => c.timeZone));
    expect(config.org.compliance.schedule.timeZone).toBe(c.timeZone);
  });

  it("synthesizes the central stack and one stack per account given", () => {
    const { outdir, stacks } = synthOrg({ input: scaffolds.get(c.name)!.organization });
    try {
      expect([...stacks.keys()]).toEqual(c.stacks);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("staggers the windows a day apart: the commented-out minDaysAfterPrevious of 1 holds", () => {
    const organization = structuredClone(scaffolds.get(c.name)!.organization) as { environments: Record<string, { minDaysAfterPrevious?: number }> };
    Object.values(organization.environments)
      .slice(1)
      .forEach((env) => (env.minDaysAfterPrevious = 1));
    const err: string[] = [];
    const code = schedulePreviewCommand(
      ["--count", "8"],
      { print: () => undefined, error: (t) => err.push(t), now: () => new Date("2027-03-01T00:00:00Z") },
      organization as unknown as OrgConfigInput,
    );
    expect({ code, err }).toEqual({ code: 0, err: [] });
  });
});

describe("the scaffold's files", () => {
  it("type-check with the repository's compiler options, as a user's editor checks them", () => {
    const files = [...scaffolds.values()].flatMap((s) =>
      readdirSync(s.dir)
        .filter((f) => f.endsWith(".ts"))
        .map((f) => join(s.dir, f)),
    );
    expect(typeErrors(files)).toEqual([]);
  });

  it("type-check for real: a wrong value in a copy is an error", () => {
    const folder = organizationFolder();
    try {
      const { dir } = scaffolds.get("dev and prod")!;
      writeFileSync(join(folder.dir, "dev.ts"), readFileSync(join(dir, "dev.ts"), "utf8").replace("approveAfterDays: 0,", 'approveAfterDays: "0",'));
      expect(typeErrors([join(folder.dir, "dev.ts")])).toEqual([expect.stringMatching(/dev\.ts:\d+: Type 'string' is not assignable to type 'number'\.$/)]);
    } finally {
      folder.remove();
    }
  });

  it("are formatted like the example: two-space indent, no tabs or trailing blanks, a final newline", () => {
    const { dir } = scaffolds.get("dev, preprod and prod with --account")!;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(join(dir, file), "utf8");
      expect(text.endsWith("};\n"), file).toBe(true);
      expect(text, file).not.toMatch(/\t| +\n/);
      expect(
        text.split("\n").filter((line) => line !== "" && !/^( {2})*(\S| \*)/.test(line)),
        file,
      ).toEqual([]);
    }
    expect(readFileSync(join(dir, "prod.ts"), "utf8")).toContain(
      ["  accounts: [", '    { name: "web-prod", id: "400000000001" },', '    { name: "account-400000000002", id: "400000000002" },', "  ],"].join("\n"),
    );
    expect(readFileSync(join(dir, "preprod.ts"), "utf8")).toContain("\n  accounts: [],\n");
  });

  it("read the promotion records beside them, as environments/index.ts does", async () => {
    expect(scaffolds.get("dev and prod")!.organization.promotions).toEqual({});
    const folder = organizationFolder();
    try {
      expect(runNewOrg([...cases[1]!.argv, "--dir", folder.dir]).code).toBe(0);
      mkdirSync(join(folder.dir, "promotions"));
      writeFileSync(join(folder.dir, "promotions", "prod.json"), JSON.stringify({ version: 1, from: "dev", to: "prod" }));
      expect((await importOrganization(folder.dir)).promotions).toEqual({ prod: { version: 1, from: "dev", to: "prod" } });
    } finally {
      folder.remove();
    }
  });

  it("name an environment that is a reserved word with a suffix", () => {
    const { dir } = scaffolds.get("another region, other OSes, prefix and plan role")!;
    expect(readFileSync(join(dir, "new.ts"), "utf8")).toContain("export const newEnvironment: EnvironmentInput = {");
    expect(readFileSync(join(dir, "index.ts"), "utf8")).toContain("\n  environments: { test, stage, live, new: newEnvironment },\n");
  });

  it("use the flags' values where the schema needs them", () => {
    const { org } = scaffolds.get("another region, other OSes, prefix and plan role")!.organization;
    expect(org).toMatchObject({
      namePrefix: "acme-patching",
      planRoleName: "acme-plan",
      deployRoleName: "patchline-deploy",
      central: { accountName: "shared-tools", accountId: "100000000001", region: "ap-southeast-2" },
      stateBackend: { bucket: "acme-patching-tfstate-100000000001-ap-southeast-2", region: "ap-southeast-2", keyPrefix: "acme-patching" },
    });
    expect(Object.keys(org.baselines)).toEqual(["UBUNTU", "REDHAT_ENTERPRISE_LINUX", "WINDOWS"]);
  });
});
