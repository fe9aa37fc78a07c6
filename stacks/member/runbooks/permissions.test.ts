import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../../environments/schema/index.js";
import type { IamStatement } from "../../../test/security/policies.js";
import { exampleWith, type ConfigDraft } from "../../../test/support/config.js";
import { statementsOf } from "../../../test/support/policies.js";
import { bodiesOf, resourcesOf, type TerraformJson } from "../../../test/support/terraform-json.js";
import { MemberAccountStack } from "../../member-account-stack.js";
import { Naming } from "../../naming.js";
import type { Runbook } from "./automation.js";
import { runbookCalls } from "./calls.js";

/**
 * Least privilege, derived from the runbooks: the role each runbook runs with grants exactly the
 * calls its steps make (stacks/member/runbooks/calls.ts reads them from the steps), every role a
 * step hands on is the one its policy may pass, and the restore operator role grants exactly the
 * calls of `npm run restore`'s code. A step added without its grant, or a grant no step uses, fails.
 */

function synth(change: (d: ConfigDraft) => void = () => undefined): TerraformJson {
  const config = parseOrgConfig(exampleWith(change));
  const environment = config.environments.find((e) => e.name === "prod")!;
  const account = environment.accounts.find((a) => a.name === "web-prod")!;
  const stack = new MemberAccountStack(Testing.app(), "prod-web-prod", {
    org: config.org,
    environment,
    account,
    naming: new Naming(config.org),
    mode: { offline: true },
  });
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

const rolePolicy = (json: TerraformJson, roleName: string): IamStatement[] => {
  const role = resourcesOf(json, "aws_iam_role").find(([, body]) => body.name === roleName);
  if (!role) throw new Error(`no role ${roleName}`);
  return statementsOf(json, "aws_iam_role_policy", "policy", (body) => body.role === `\${aws_iam_role.${role[0]}.name}`);
};
const actionsOf = (statements: readonly IamStatement[]) => [...new Set(statements.flatMap((s) => s.actions))].sort();
const runbooks = (json: TerraformJson, prefix: string) =>
  bodiesOf(json, "aws_ssm_document")
    .filter((d) => d.document_type === "Automation" && String(d.name).startsWith(prefix))
    .map((d) => JSON.parse(String(d.content)) as Runbook);
const derived = (list: readonly Runbook[]) => [...new Set(list.flatMap((r) => runbookCalls(r).map((c) => c.action)))].sort();

/** `${aws_iam_role.X.arn}` → the role's name, as the policies name roles. */
function roleArnOf(json: TerraformJson, value: string): string {
  const logical = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(value)?.[1];
  const name = logical ? json.resource?.aws_iam_role?.[logical]?.name : undefined;
  return name ? `arn:aws:iam::400000000002:role/${String(name)}` : value;
}

/** The AWS SDK calls in the source files of a folder (`new XCommand(`, `paginateX(` of an @aws-sdk client it imports), as IAM actions. */
function sdkCallsIn(folder: string): string[] {
  const prefixes: Record<string, string> = { "@aws-sdk/client-ec2": "ec2", "@aws-sdk/client-ssm": "ssm", "@aws-sdk/client-sts": "sts" };
  const actions = new Set<string>();
  for (const file of readdirSync(folder).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
    const source = readFileSync(join(folder, file), "utf8");
    const imported = new Map<string, string>();
    for (const [, names, pkg] of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z0-9-]+)"/g))
      for (const item of names!.split(",")) imported.set(item.replace(/^\s*type\s+/, "").trim(), pkg!);
    for (const [, operation] of [...source.matchAll(/new\s+([A-Z]\w*)Command\(|\bpaginate([A-Z]\w*)\(/g)].map((m) => [m[0], m[1] ?? m[2]] as const)) {
      const identifier = imported.has(`${operation}Command`) ? `${operation}Command` : `paginate${operation}`;
      const pkg = imported.get(identifier);
      if (pkg) actions.add(`${prefixes[pkg]}:${operation}`);
    }
  }
  return [...actions].sort();
}

describe("the install runbooks' role grants exactly the calls of their steps", () => {
  for (const [what, change] of [
    ["the example (AMI backup, a freeze)", () => undefined],
    ["a root-volume snapshot backup", (d: ConfigDraft) => (d.environments.prod.maintenanceWindows[0].install.backup = { kind: "snapshot" })],
    ["a freeze without a backup", (d: ConfigDraft) => delete d.environments.prod.maintenanceWindows[0].install.backup],
    ["a backup without a freeze", (d: ConfigDraft) => (d.org.freezes = [])],
  ] as const) {
    it(what, () => {
      const json = synth(change);
      const installs = runbooks(json, "patchline-install-");
      expect(installs.length).toBeGreaterThan(0);
      const granted = rolePolicy(json, "patchline-patch-automation");
      expect(actionsOf(granted)).toEqual(derived(installs));
      // each role a step hands on is a role the policy may pass, and no other
      const handed = [
        ...new Set(
          installs.flatMap((r) =>
            runbookCalls(r)
              .filter((c) => c.role)
              .map((c) => roleArnOf(json, c.role!)),
          ),
        ),
      ].sort();
      const passable = granted.filter((s) => s.actions.includes("iam:PassRole")).flatMap((s) => s.resources);
      expect([...passable].sort()).toEqual(handed);
    });
  }

  it("calls only what it is built for: a new kind of step without known calls is refused, not granted by guess", () => {
    const runbook = runbooks(synth(), "patchline-install-")[0]!;
    expect(() => runbookCalls({ ...runbook, mainSteps: [...runbook.mainSteps, { name: "Script", action: "aws:executeScript", inputs: {} }] })).toThrow(
      "step Script: the calls of aws:executeScript are not known here; add them",
    );
  });
});

describe("the restore roles", () => {
  const json = synth();

  it("the restore runbook's role grants exactly the calls of its steps", () => {
    const restore = runbooks(json, "patchline-restore-");
    expect(restore).toHaveLength(2);
    expect(actionsOf(rolePolicy(json, "patchline-restore-automation"))).toEqual(derived(restore));
  });

  it("the restore operator role grants exactly the calls of npm run restore (and passes only the restore runbook's role)", () => {
    const operator = rolePolicy(json, "patchline-restore-operator");
    // sts:AssumeRole is the caller's own call, into this role; StartAutomationExecution hands the runbook its role
    const calls = sdkCallsIn("tools/restore").filter((a) => a !== "sts:AssumeRole");
    expect(actionsOf(operator)).toEqual([...calls, "iam:PassRole"].sort());
    expect(operator.find((s) => s.actions.includes("iam:PassRole"))!.resources).toEqual(["arn:aws:iam::400000000002:role/patchline-restore-automation"]);
  });

  it("the operator role exists only where org.restoreOperatorRoleArns names people to trust, and trusts exactly them", () => {
    expect(
      bodiesOf(
        synth((d) => (d.org.restoreOperatorRoleArns = [])),
        "aws_iam_role",
      ).map((r) => r.name),
    ).not.toContain("patchline-restore-operator");
    const [trust] = statementsOf(json, "aws_iam_role", "assume_role_policy", (body) => body.name === "patchline-restore-operator");
    expect(trust!.principals).toEqual([
      { type: "AWS", identifiers: ["arn:aws:iam::100000000001:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformOperator_0a1b2c3d4e5f6a7b"] },
    ]);
  });
});

describe("the windows' role, for install runbooks", () => {
  it("starts and follows patchline's install runbooks and hands them their role", () => {
    const statements = rolePolicy(synth(), "patchline-maintenance-window");
    expect(statements.filter((s) => s.actions.some((a) => /Automation|PassRole/.test(a))).map((s) => [s.actions, s.resources])).toEqual([
      [
        ["ssm:StartAutomationExecution"],
        [
          "arn:aws:ssm:*:400000000002:document/patchline-install-*",
          "arn:aws:ssm:*:400000000002:automation-definition/patchline-install-*:*",
          "arn:aws:ssm:*:400000000002:automation-execution/*",
        ],
      ],
      [["ssm:GetAutomationExecution"], ["arn:aws:ssm:*:400000000002:automation-execution/*"]],
      [["iam:PassRole"], ["arn:aws:iam::400000000002:role/patchline-patch-automation"]],
      [["iam:PassRole"], ["arn:aws:iam::400000000002:role/patchline-maintenance-window"]],
    ]);
  });

  it("without install runbooks it may start none", () => {
    const statements = rolePolicy(
      synth((d) => {
        d.org.freezes = [];
        delete d.environments.prod.maintenanceWindows[0].install.backup;
      }),
      "patchline-maintenance-window",
    );
    expect(actionsOf(statements).filter((a) => a.includes("Automation"))).toEqual([]);
  });
});
