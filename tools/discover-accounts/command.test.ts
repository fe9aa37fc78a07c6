import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListAccountsForParentCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverAccountsCommand } from "../discover-accounts.js";
import type { OrgConfigInput } from "../../environments/schema/index.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { exampleWith } from "../../test/support/config.js";

const organizations = mockClient(OrganizationsClient);
let dir: string;
let file: string;
const original = readFileSync(new URL("../../test/fixtures/organizations/example/prod.ts", import.meta.url), "utf8");

beforeEach(() => {
  organizations.reset();
  dir = mkdtempSync(join(tmpdir(), "patchline-discover-"));
  file = join(dir, "prod.ts");
  copyFileSync(new URL("../../test/fixtures/organizations/example/prod.ts", import.meta.url), file);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The prod OU holds the three configured accounts (one renamed in AWS) and a new one. */
function prodOu(extra: { Id: string; Name: string; State: "ACTIVE" | "SUSPENDED" }[] = [{ Id: "400000000005", Name: "Analytics Prod", State: "ACTIVE" }]) {
  organizations.on(ListAccountsForParentCommand, { ParentId: "ou-ab12-prod0001" }).resolves({
    Accounts: [
      { Id: "400000000001", Name: "Payments Prod", State: "ACTIVE" },
      { Id: "400000000002", Name: "Web Production", State: "ACTIVE" },
      { Id: "400000000003", Name: "Data Prod", State: "ACTIVE" },
      ...extra,
    ],
  });
}

async function run(args: string[], input: OrgConfigInput = exampleOrganization) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await discoverAccountsCommand([...args, "--file", file], {
    io: { print: (t) => out.push(t), error: (t) => err.push(t), now: () => new Date() },
    organizations: new OrganizationsClient({ region: "us-east-1" }),
    input,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("discover-accounts", () => {
  it("shows what would change and the new accounts array, and writes nothing", async () => {
    prodOu();
    const result = await run(["--env", "prod", "--ou", "ou-ab12-prod0001"]);
    expect(result).toEqual({
      code: 0,
      err: "",
      out: [
        "prod: 3 of 3 configured accounts stay; OUs ou-ab12-prod0001",
        '  + add      analytics-prod           400000000005  (AWS name "Analytics Prod")',
        '  ~ renamed  web-prod                 400000000002  AWS name "Web Production" derives "web-production"; the configured name stays: it names the stack and its state',
        "",
        `${file} would list:`,
        "  accounts: [",
        '    { name: "payments-prod", id: "400000000001" },',
        // a kept entry keeps its text: the comment and the canary wave
        "    // the canary: prod's windows patch web-prod first; accounts without a wave are in the last one, main",
        '    { name: "web-prod", id: "400000000002", wave: "canary" },',
        '    { name: "data-prod", id: "400000000003" },',
        '    { name: "analytics-prod", id: "400000000005" },',
        "  ],",
      ].join("\n"),
    });
    expect(readFileSync(file, "utf8")).toBe(original);
  });

  it("writes the environment file with --write, and it still validates", async () => {
    prodOu();
    const result = await run(["--env", "prod", "--ou", "ou-ab12-prod0001", "--write"]);
    expect(result.code).toBe(0);
    expect(result.out.split("\n").at(-1)).toBe(`wrote ${file}: 1 added, 0 removed; run npm run synth and review the new stacks' plans`);
    expect(readFileSync(file, "utf8")).toBe(
      original.replace(
        '    { name: "data-prod", id: "400000000003" },\n',
        '    { name: "data-prod", id: "400000000003" },\n    { name: "analytics-prod", id: "400000000005" },\n',
      ),
    );
  });

  it("exits 1 with --check when the list would change, 0 when it matches", async () => {
    prodOu();
    expect((await run(["--env", "prod", "--ou", "ou-ab12-prod0001", "--check"])).code).toBe(1);
    organizations.reset();
    prodOu([]);
    expect(await run(["--env", "prod", "--ou", "ou-ab12-prod0001", "--check"])).toMatchObject({ code: 0 });
  });

  it("removes a suspended account only with --prune", async () => {
    organizations.on(ListAccountsForParentCommand, { ParentId: "ou-ab12-prod0001" }).resolves({
      Accounts: [
        { Id: "400000000001", Name: "Payments Prod", State: "ACTIVE" },
        { Id: "400000000002", Name: "Web Prod", State: "ACTIVE" },
        { Id: "400000000003", Name: "Data Prod", State: "SUSPENDED" },
      ],
    });
    expect((await run(["--env", "prod", "--ou", "ou-ab12-prod0001"])).out).toContain(
      "  - missing  data-prod                400000000003  SUSPENDED in AWS Organizations (kept; --prune removes it)",
    );
    const pruned = await run(["--env", "prod", "--ou", "ou-ab12-prod0001", "--prune", "--write"]);
    expect(pruned.out).toContain("  - remove   data-prod                400000000003  SUSPENDED in AWS Organizations");
    expect(readFileSync(file, "utf8")).toBe(original.replace('    { name: "data-prod", id: "400000000003" },\n', ""));
  });

  it("refuses to write a list that takes the organization past an AWS limit, naming it", async () => {
    // prod patches in 26 regions and has no account yet: its first accounts' approval access role would not fit IAM's limit
    const regions = [
      ...["us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
      ...["ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ca-central-1", "ca-west-1"],
      ...["eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1"],
    ];
    const input = exampleWith((d) => {
      d.environments.prod.regions = regions;
      d.environments.prod.accounts = [];
      // without waves: new accounts join none, and an empty canary wave would be the problem reported
      delete d.environments.prod.waves;
    });
    prodOu();
    const result = await run(["--env", "prod", "--ou", "ou-ab12-prod0001", "--write"], input);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /^the new account list would make the configuration invalid; nothing written\npatchline configuration has 1 problem:\n {2}- prod\.regions: with these 26 regions the approval access role's policy of each prod account/,
    );
    expect(readFileSync(file, "utf8")).toBe(original);
  });

  it("empties the environment with --prune when its units hold none of its accounts", async () => {
    organizations.on(ListAccountsForParentCommand).resolves({ Accounts: [] });
    const result = await run(["--env", "prod", "--ou", "ou-ab12-empty001", "--prune", "--write"]);
    expect(result.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(original.replace(/ {2}accounts: \[\n[^\]]*\],/, "  accounts: [],"));
  });

  it.each([
    [["--ou", "ou-ab12-prod0001"], /^--env is required/],
    [["--env", "prod"], /^--ou is required/],
    [["--env", "qa", "--ou", "ou-ab12-prod0001"], /^--env: "qa" is not an environment \(configured: dev, preprod, prod\)$/],
    [["--env", "prod", "--ou", "prod"], /^--ou: "prod" is not an organizational unit id/],
    [["--env", "prod", "--ou", "ou-ab12-prod0001", "--write", "--check"], /^--write and --check exclude each other/],
  ])("rejects %j with exit 2", async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(organizations).not.toHaveReceivedCommand(ListAccountsForParentCommand);
  });
});
