import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ListAccountsForParentCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { exampleNaming } from "../../test/support/construct-synth.js";
import { exampleWith, problemsOf } from "../../test/support/config.js";
import { synthOrg, type SynthesizedStack } from "../../test/support/synth.js";
import { bodiesOf, dataOf, resourcesOf } from "../../test/support/terraform-json.js";
import { approvalDefinitionFor } from "../../stacks/approval/workflow.js";
import { approvalSettingsOf } from "../../stacks/approval/definition.js";
import { assertValidDefinition } from "../../stacks/core/asl.js";
import { discoverAccountsCommand } from "../discover-accounts.js";
import { accountIdsIn, rewriteAccounts } from "../discover-accounts/env-file.js";
import { RolloutError, rolloutSteps } from "../rollout/steps.js";
import { schedulePreviewCommand } from "../schedule-preview.js";
import { importOrganization, organizationFolder, runNewOrg } from "../../test/support/new-org.js";

/** An environment without accounts yet: what `npm run new-org` writes until accounts are discovered. */
const withoutAccounts = (...environments: string[]) => exampleWith((d) => environments.forEach((e) => (d.environments[e].accounts = [])));

const centralOf = (stacks: Map<string, SynthesizedStack>) => stacks.get("central")!.json;
const statementSids = (stacks: Map<string, SynthesizedStack>, document: RegExp) =>
  dataOf(centralOf(stacks), "aws_iam_policy_document")
    .filter(([name]) => document.test(name))
    .flatMap(([, body]) => (body.statement as { sid: string }[]).map((s) => s.sid));
const approvalStateMachines = (stacks: Map<string, SynthesizedStack>) =>
  resourcesOf(centralOf(stacks), "aws_sfn_state_machine").filter(([name]) => name.startsWith("Approval"));

describe("an environment without accounts", () => {
  it("is valid, and its settings are still checked", () => {
    expect(problemsOf(withoutAccounts("prod"))).toEqual([]);
    expect(
      problemsOf(
        exampleWith((d) => {
          d.environments.prod.accounts = [];
          d.environments.prod.maintenanceWindows[0].timeZone = "Mars/Olympus";
        }),
      ),
    ).toEqual(['prod.maintenanceWindows[0].timeZone: "Mars/Olympus" is not an IANA time zone (e.g. "America/Chicago", "Europe/Berlin", "UTC")']);
  });

  describe("next to environments with accounts", () => {
    let synth: ReturnType<typeof synthOrg>;
    beforeAll(() => (synth = synthOrg({ input: withoutAccounts("prod") })));
    afterAll(() => rmSync(synth.outdir, { recursive: true, force: true }));

    it("renders no member stack, and the others as before", () => {
      expect([...synth.stacks.keys()]).toEqual(["central", "dev-payments-dev", "dev-web-dev", "preprod-payments-preprod", "preprod-web-preprod"]);
    });

    it("is in the fleet catalog without accounts, so its windows still get notices", () => {
      const catalog = bodiesOf(centralOf(synth.stacks), "aws_s3_object").find((o) => o.content_type === "application/json")!;
      const prod = (
        JSON.parse(catalog.content as string) as { environments: { name: string; accounts: unknown[]; maintenanceWindows: { name: string }[] }[] }
      ).environments.find((e) => e.name === "prod")!;
      expect(prod).toMatchObject({ accounts: [], maintenanceWindows: [{ name: "prod-monthly" }] });
    });

    it("keeps its states in the approval workflow: its first account changes no definition", () => {
      const definition = approvalDefinitionFor(parseOrgConfig(withoutAccounts("prod")), exampleNaming);
      expect(() => assertValidDefinition("patchline-approval", definition)).not.toThrow();
      expect(definition).toEqual(approvalDefinitionFor(parseOrgConfig(exampleOrganization), exampleNaming));
      expect(Object.keys(approvalSettingsOf(definition))).toEqual(["dev", "preprod", "prod"]);
      expect(approvalStateMachines(synth.stacks)).toHaveLength(1);
    });
  });

  describe("in every environment (a new organization)", () => {
    let synth: ReturnType<typeof synthOrg>;
    beforeAll(() => (synth = synthOrg({ input: withoutAccounts("dev", "preprod", "prod") })));
    afterAll(() => rmSync(synth.outdir, { recursive: true, force: true }));

    it("renders the central stack only, with everything its first account needs: the approval workflow and the data bucket's delivery statement", () => {
      expect([...synth.stacks.keys()]).toEqual(["central"]);
      expect(approvalStateMachines(synth.stacks)).toHaveLength(1);
      expect(statementSids(synth.stacks, /^Compliance_Storage_Data_PolicyDocument/)).toEqual([
        "DenyInsecureTransport",
        "RunHistoryIsNeverDeleted",
        "RunHistoryIsWrittenOnce",
        "ResourceDataSyncChecksBucketAcl",
        "ResourceDataSyncDelivers",
      ]);
    });
  });

  it("is left out of a rollout: cdktf deploy '<env>-*' would match no stack", () => {
    const labels = (input: OrgConfigInput, central = false) =>
      rolloutSteps(parseOrgConfig(input), { central, parallelism: 4, synth: true }).map((s) => s.label);
    expect(labels(withoutAccounts("preprod"))).toEqual(["synth", "dev", "prod"]);
    expect(labels(withoutAccounts("dev", "preprod", "prod"), true)).toEqual(["synth", "central"]);
    expect(() => labels(withoutAccounts("dev", "preprod", "prod"))).toThrow(
      new RolloutError(
        "nothing to deploy: dev, preprod, prod have no accounts yet (add them, e.g. with npm run discover-accounts; --central deploys the central stack)",
      ),
    );
  });

  it("still has its windows previewed and checked in the promotion order", () => {
    const out: string[] = [];
    const code = schedulePreviewCommand(
      ["--env", "dev", "--count", "1"],
      { print: (t) => out.push(t), error: () => undefined, now: () => new Date("2026-11-24T00:00:00Z") },
      withoutAccounts("dev"),
    );
    expect(code).toBe(0);
    expect(out.join("\n")).toContain("  dev-weekly: cron(0 10 ? * TUE *) in US/Central, 3 h, cutoff 1 h; scan + install\n    Tue 2026-11-24 10:00 -06:00");
  });
});

describe("discover-accounts on an environment without accounts", () => {
  const source = [
    'import type { EnvironmentInput } from "./schema/index.js";',
    "",
    "export const dev: EnvironmentInput = {",
    "  // member accounts",
    "  accounts: [],",
    '  regions: ["us-east-1"],',
    "};",
    "",
  ].join("\n");

  it("fills an empty accounts: [] literal, and empties it again", () => {
    const { text } = rewriteAccounts(source, "dev.ts", [{ name: "web-dev", id: "200000000002", isNew: true }]);
    expect(text).toBe(source.replace("  accounts: [],", '  accounts: [\n    { name: "web-dev", id: "200000000002" },\n  ],'));
    expect(rewriteAccounts(text, "dev.ts", []).text).toBe(source);
    expect(accountIdsIn(source, "dev.ts")).toEqual([]);
  });

  it("with --prune empties an environment whose units hold none of its accounts any more", async () => {
    const folder = organizationFolder();
    const organizations = mockClient(OrganizationsClient);
    try {
      const file = join(folder.dir, "prod.ts");
      const original = readFileSync(new URL("../../test/fixtures/organizations/example/prod.ts", import.meta.url), "utf8");
      writeFileSync(file, original);
      organizations.on(ListAccountsForParentCommand).resolves({ Accounts: [] });
      const code = await discoverAccountsCommand(["--env", "prod", "--ou", "ou-ab12-empty001", "--prune", "--write", "--file", file], {
        io: { print: () => undefined, error: () => undefined, now: () => new Date() },
        organizations: new OrganizationsClient({ region: "us-east-1" }),
        input: exampleOrganization,
      });
      expect(code).toBe(0);
      expect(readFileSync(file, "utf8")).toBe(original.replace(/ {2}accounts: \[\n[^\]]*\],/, "  accounts: [],"));
    } finally {
      organizations.restore();
      folder.remove();
    }
  });

  it("writes the accounts of an OU into a scaffolded environment file, which then parses and synthesizes", async () => {
    const folder = organizationFolder();
    const organizations = mockClient(OrganizationsClient);
    try {
      expect(
        runNewOrg([
          "--organization-id",
          "o-a1b2c3d4e5",
          "--central",
          "100000000001",
          "--region",
          "eu-west-1",
          "--environments",
          "dev,prod",
          "--dir",
          folder.dir,
        ]).code,
      ).toBe(0);
      organizations.on(ListAccountsForParentCommand, { ParentId: "ou-ab12-dev00001" }).resolves({
        Accounts: [
          { Id: "200000000002", Name: "Web Dev", State: "ACTIVE" },
          { Id: "200000000001", Name: "Payments Dev", State: "ACTIVE" },
        ],
      });
      const err: string[] = [];
      const code = await discoverAccountsCommand(["--env", "dev", "--ou", "ou-ab12-dev00001", "--write", "--file", join(folder.dir, "dev.ts")], {
        io: { print: () => undefined, error: (t) => err.push(t), now: () => new Date() },
        organizations: new OrganizationsClient({ region: "us-east-1" }),
        input: await importOrganization(folder.dir),
      });
      expect({ code, err }).toEqual({ code: 0, err: [] });
      expect(readFileSync(join(folder.dir, "dev.ts"), "utf8")).toContain(
        '  accounts: [\n    { name: "payments-dev", id: "200000000001" },\n    { name: "web-dev", id: "200000000002" },\n  ],\n  regions: ["eu-west-1"],\n',
      );

      // a copy, so that the rewritten files are imported afresh
      const copy = organizationFolder();
      try {
        cpSync(folder.dir, copy.dir, { recursive: true, filter: (path) => !path.endsWith("/schema") });
        const { outdir, stacks } = synthOrg({ input: await importOrganization(copy.dir) });
        rmSync(outdir, { recursive: true, force: true });
        expect([...stacks.keys()]).toEqual(["central", "dev-payments-dev", "dev-web-dev"]);
      } finally {
        copy.remove();
      }
    } finally {
      organizations.restore();
      folder.remove();
    }
  });
});
