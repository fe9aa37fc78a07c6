import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { exampleOrganization } from "./fixtures/organizations/example/index.js";
import { COMMENT_MARKER } from "../tools/plan-review/markdown.js";
import { planReviewCommand } from "../tools/plan-review.js";
import { planStacksCommand } from "../tools/plan-stacks.js";
import { promoteCommand } from "../tools/promote.js";
import { decidePromotion } from "../tools/promote/decide.js";
import { readEvidence } from "../tools/promote/source.js";
import { parseOrgConfig, type OrgConfigInput } from "../environments/schema/index.js";
import { rolloutCommand } from "../tools/rollout.js";
import { schedulePreviewCommand } from "../tools/schedule-preview.js";
import type { CommandIo } from "../tools/lib/cli.js";
import { writeSynthOutput } from "./support/fake-terraform.js";

/**
 * The GitHub Actions workflows cannot run here; what can be checked is that they parse, that every
 * command they run exists with the options they pass, and that their shape is what the README
 * promises (environments in promotion order, OIDC only, one updated comment).
 */
const root = new URL("..", import.meta.url).pathname;
const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

interface Step {
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string | boolean>;
  readonly env?: Record<string, string>;
  readonly name?: string;
}
interface Job {
  readonly if?: string;
  readonly needs?: string | string[];
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; "cancel-in-progress": boolean };
  readonly jobs: Record<string, Job>;
}

function load<T>(file: string): T {
  const doc = parseDocument(readFileSync(join(root, file), "utf8"), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
  return doc.toJS() as T;
}

const workflowFiles = readdirSync(join(root, ".github/workflows")).map((f) => `.github/workflows/${f}`);
const workflows = new Map(workflowFiles.map((f) => [f, load<Workflow>(f)]));
const setupAction = load<{ runs: { using: string; steps: Step[] } }>(".github/actions/setup/action.yml");
const plan = workflows.get(".github/workflows/plan.yml")!;
const deploy = workflows.get(".github/workflows/deploy.yml")!;
const allSteps = [...[...workflows.values()].flatMap((w) => Object.values(w.jobs).flatMap((j) => j.steps)), ...setupAction.runs.steps];

/** `npm run <script> -- <args>` commands in the run blocks, with their arguments split as a shell would (quotes, no expansion). */
function npmRuns(steps: readonly Step[]): Array<{ script: string; args: string[] }> {
  return steps.flatMap((s) =>
    (s.run ?? "").split("\n").flatMap((line) => {
      const match = /npm run ([\w:-]+)(?: -- (.*))?$/.exec(line.trim());
      if (!match) return [];
      const args = [...(match[2] ?? "").matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
      return [{ script: match[1]!, args }];
    }),
  );
}

const quiet = (out: string[] = []): CommandIo => ({ print: (t) => out.push(t), error: (t) => out.push(t), now: () => new Date("2026-11-24T00:00:00Z") });
const noProcess = async () => ({ code: 1, stdout: "", stderr: "not run in tests" });
/** The evidence bucket as the plan CI role reads it: the shipped fixture as a run's document of preprod. */
const EVIDENCE_RUN = "s3://patchline-evidence-100000000001-us-east-1/evidence/preprod/runs/20261120T080000Z-5e0c9d1a.json";
const evidenceBucket = () => async (bucket: string, key: string) => {
  if (`s3://${bucket}/${key}` !== EVIDENCE_RUN) throw Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey" });
  return readFileSync(join(root, "test/fixtures/evidence/preprod.json"), "utf8");
};
const promote = (args: string[], input: OrgConfigInput = exampleOrganization, out?: string[]) =>
  promoteCommand(args, { io: quiet(out), input, read: evidenceBucket, cwd: root });
/** Each tool's command, called with the workflow's arguments and --help: parsing fails on an unknown option. */
const tools: Record<string, (args: string[]) => Promise<number> | number> = {
  "plan-review": (args) => planReviewCommand(args, quiet(), exampleOrganization),
  "plan-stacks": (args) => planStacksCommand(args, { io: quiet(), run: noProcess }),
  promote: (args) => promote(args),
  rollout: (args) => rolloutCommand(args, { io: quiet(), run: noProcess, env: {}, input: exampleOrganization }),
  "schedule-preview": (args) => schedulePreviewCommand(args, quiet(), exampleOrganization),
};

describe("GitHub Actions workflows", () => {
  it("parse as YAML, and the local setup action too", () => {
    expect([...workflows.keys()].sort()).toEqual([".github/workflows/deploy.yml", ".github/workflows/plan.yml"]);
    expect(setupAction.runs.using).toBe("composite");
  });

  it("run only npm scripts that exist, with options their tools accept", async () => {
    const runs = npmRuns(allSteps);
    expect(runs.map((r) => r.script).sort()).toEqual([
      "plan-review",
      "plan-stacks",
      "plan-stacks",
      "promote",
      "rollout",
      "rollout",
      "rollout",
      "rollout",
      "schedule-preview",
      "synth",
      "synth",
    ]);
    for (const { script, args } of runs) {
      expect(scripts, `npm run ${script}`).toHaveProperty(script);
      if (script === "synth") continue;
      expect(scripts[script], script).toBe(`tsx tools/${script}.ts`);
      expect(await tools[script]!([...args, "--help"]), `npm run ${script} -- ${args.join(" ")}`).toBe(0);
    }
  });

  it("use local actions and scripts that exist", () => {
    for (const step of allSteps) {
      if (step.uses?.startsWith("./")) expect(existsSync(join(root, step.uses, "action.yml")), step.uses).toBe(true);
    }
    expect(allSteps.some((s) => s.run === ".ci/run")).toBe(true);
    expect(() => accessSync(join(root, ".ci/run"), constants.X_OK)).not.toThrow();
  });

  it("check out without leaving the git token on disk for the code that runs after", () => {
    const checkouts = allSteps.filter((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step.with?.["persist-credentials"], JSON.stringify(step)).toBe(false);
  });

  it("get AWS credentials only through OIDC role assumption: no stored keys", () => {
    const text = workflowFiles.map((f) => readFileSync(join(root, f), "utf8")).join("\n");
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|secrets\./);
    for (const [file, workflow] of workflows) {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const credentials = job.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        if (credentials.length === 0) continue;
        for (const step of credentials)
          expect(Object.keys(step.with ?? {}).sort(), `${file} ${name}`).toEqual(["aws-region", "role-session-name", "role-to-assume"]);
        expect({ ...workflow.permissions, ...job.permissions }["id-token"], `${file} ${name}`).toBe("write");
      }
    }
  });
});

describe("pull-request workflow", () => {
  const { prepare, plan: shard, review } = plan.jobs as Record<string, Job>;

  // the plan jobs run code under review with AWS credentials: only a read-only role keeps that safe
  it("plans with providers that assume the read-only plan role, in the head and the base synth", () => {
    const synths = prepare!.steps.filter((s) => /npm run synth/.test(s.run ?? ""));
    expect(synths).toHaveLength(2);
    for (const step of synths) expect(step.env?.PATCHLINE_ROLE).toBe("plan");
    expect(exampleOrganization.org.planRoleName).toBeDefined();
    expect(shard!.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  it("plans in a matrix of the shards plan-stacks --matrix writes, and reviews every shard's plans in one job", async () => {
    const [matrixCommand] = npmRuns(prepare!.steps).filter((r) => r.script === "plan-stacks");
    const dir = mkdtempSync(join(tmpdir(), "patchline-workflow-"));
    try {
      const synth = (name: string, content: string) =>
        writeSynthOutput(join(dir, name), { "prod-a": { "cdk.tf.json": content }, "prod-b": { "cdk.tf.json": content } });
      const [base, head] = [synth("base", "{}"), synth("head", '{"locals":{}}')];
      // the workflow's arguments, with the synths here and the repository variables unset
      const args = matrixCommand!.args.map((a) =>
        a === "$RUNNER_TEMP/base/cdktf.out"
          ? base
          : a === "cdktf.out"
            ? head
            : a === "matrix.json"
              ? join(dir, "matrix.json")
              : a.replace(/^\$\{\{ vars\.\w+ \|\| (\d+) \}\}$/, "$1"),
      );
      const said: string[] = [];
      expect(await planStacksCommand(args, { io: quiet(said), run: noProcess }), said.join("\n")).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, "matrix.json"), "utf8"))).toEqual({ shard: ["1/1"] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect((shard as Job & { strategy: unknown }).strategy).toEqual({ "fail-fast": false, matrix: "${{ fromJSON(needs.prepare.outputs.matrix) }}" });
    const [planCommand] = npmRuns(shard!.steps).filter((r) => r.script === "plan-stacks");
    expect(planCommand!.args.slice(planCommand!.args.indexOf("--shard"), planCommand!.args.indexOf("--shard") + 2)).toEqual(["--shard", "${{ matrix.shard }}"]);
    const upload = shard!.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
    const download = review!.steps.find((s) => s.uses?.startsWith("actions/download-artifact@"))!;
    expect(upload.with!.name).toBe("plan-shard-${{ strategy.job-index }}");
    expect(download.with).toMatchObject({ pattern: "plan-shard-*", "merge-multiple": true });
    expect(review!.needs).toEqual(["prepare", "plan"]);
  });

  it("posts one comment and updates it, found by the review's marker", () => {
    const comment = review!.steps.find((s) => s.uses?.startsWith("actions/github-script@"))!;
    expect(comment.with!.script).toContain(`const marker = "${COMMENT_MARKER}";`);
    expect(comment.with!.script).toMatch(/updateComment[\s\S]*createComment/);
    // the job that may write to the pull request has no AWS credentials
    expect(review!.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  describe("promotion job", () => {
    const job = plan.jobs.promotion!;
    const records = job.steps.find((s) => s.name === "Promotion records in the pull request")!;
    const gated = job.steps.slice(job.steps.indexOf(records) + 1);

    /** The records step's script, run by bash in a checkout-like folder: what it writes to GITHUB_OUTPUT. */
    function recordsOutput(files: Record<string, string>): string {
      const dir = mkdtempSync(join(tmpdir(), "patchline-workflow-"));
      try {
        for (const [file, text] of Object.entries(files)) {
          mkdirSync(join(dir, file, ".."), { recursive: true });
          writeFileSync(join(dir, file), text);
        }
        execFileSync("bash", ["-e", "-c", records.run!], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_OUTPUT: join(dir, "output") } });
        return readFileSync(join(dir, "output"), "utf8");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    it("looks for promotion records in the checkout, and does the rest only when there are some", () => {
      expect(job.steps[0]!.uses).toMatch(/^actions\/checkout@/);
      expect(recordsOutput({ "environments/prod.ts": "" })).toBe("present=false\n");
      expect(recordsOutput({ "environments/promotions/README.md": "" })).toBe("present=false\n");
      expect(recordsOutput({ "environments/promotions/prod.json": "{}", "environments/promotions/preprod.json": "{}" })).toBe("present=true\n");
      expect(records.id).toBe("records");
      expect(gated.map((s) => s.uses?.replace(/@.*/, "") ?? s.run)).toEqual([
        "./.github/actions/setup",
        "aws-actions/configure-aws-credentials",
        "npm run promote -- --check",
      ]);
      for (const step of gated) expect(step.if, JSON.stringify(step)).toBe("steps.records.outputs.present == 'true'");
    });

    // the evidence is read with the job's own credentials, which run code under review: the plan CI role's
    it("reads the evidence with the plan CI role, through OIDC, as the plan jobs do, and not from forks", () => {
      const credentials = (j: Job) => j.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
      expect(credentials(job).uses).toBe(credentials(shard!).uses);
      expect(credentials(job).with).toEqual({
        ...credentials(shard!).with,
        "role-session-name": "patchline-promote-pr-${{ github.event.pull_request.number }}",
      });
      expect(credentials(job).with!["role-to-assume"]).toBe("${{ vars.PATCHLINE_PLAN_CI_ROLE_ARN }}");
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(job.if).toBe(prepare!.if);
      // a failing check fails the job, and so the workflow
      expect(job).not.toHaveProperty("continue-on-error");
      for (const step of job.steps) expect(step).not.toHaveProperty("continue-on-error");
    });

    it("runs a check that passes for records that hold and fails for one that does not", async () => {
      const [check] = npmRuns(gated);
      expect(check).toEqual({ script: "promote", args: ["--check"] });
      const config = parseOrgConfig(exampleOrganization);
      const named = (name: string) => config.environments.find((e) => e.name === name)!;
      const evidence = await readEvidence({ evidence: EVIDENCE_RUN, from: "preprod", evidenceBucket: "unused", read: evidenceBucket(), cwd: root });
      const record = decidePromotion({ evidence, from: named("preprod"), to: named("prod"), now: quiet().now() });
      const withRecord = (prod: unknown): OrgConfigInput => ({ ...exampleOrganization, promotions: { prod } });

      const said: string[] = [];
      expect(await promote(check!.args, withRecord(record), said), said.join("\n")).toBe(0);
      expect(said.join("\n")).toMatch(/^environments\/promotions\/prod\.json: holds\. prod approves \d+ patches that passed preprod/);
      // a patch held back in the evidence, promoted by hand in the record
      const [held] = record.heldBack.WINDOWS!.filter((p) => p.reason === "too-few-instances");
      const { reason: _reason, detail: _detail, ...patch } = held!;
      const edited = {
        ...record,
        promoted: { ...record.promoted, WINDOWS: [...record.promoted.WINDOWS!, { ...patch, installed: 2 }] },
        heldBack: { ...record.heldBack, WINDOWS: record.heldBack.WINDOWS!.filter((p) => p.id !== held!.id) },
      };
      said.length = 0;
      expect(await promote(check!.args, withRecord(edited), said)).toBe(1);
      expect(said.join("\n")).toContain(`WINDOWS: ${held!.id} is promoted in the record, not by the evidence and rules`);
      expect(await promote(check!.args)).toBe(0);
    });
  });

  it("runs on pull requests, checks the schedules' promotion order and runs the tests", async () => {
    expect(Object.keys(plan.on)).toEqual(["pull_request"]);
    const [schedule] = npmRuns(plan.jobs.schedule!.steps);
    expect(await tools["schedule-preview"]!(schedule!.args)).toBe(0);
  });
});

describe("deploy workflow", () => {
  const chain = (): string[] => {
    const order: string[] = [];
    let next = Object.entries(deploy.jobs).find(([, j]) => j.needs === undefined)?.[0];
    while (next) {
      order.push(next);
      const current = next;
      next = Object.entries(deploy.jobs).find(([, j]) => j.needs === current || (Array.isArray(j.needs) && j.needs.includes(current)))?.[0];
    }
    return order;
  };

  it("deploys central, then every environment in promotion order, each job in its GitHub environment", async () => {
    expect(chain()).toEqual(["reviewed", "central", ...exampleOrganization.org.promotionOrder]);
    expect(Object.keys(deploy.jobs)).toHaveLength(chain().length);
    for (const name of chain().slice(1)) {
      const job = deploy.jobs[name]!;
      expect(job.environment).toBe(name);
      const [rollout] = npmRuns(job.steps);
      expect(rollout!.args.slice(0, 2)).toEqual(["--env", name]);
      // without the review (read in the deploy job only), the dry run prints the plain commands
      const gate = ["--reviewed", "--accept-changed-plan"];
      const args = rollout!.args.filter((a, i, all) => !gate.includes(a) && !gate.includes(all[i - 1]!));
      const out: string[] = [];
      expect(await rolloutCommand([...args, "--dry-run"], { io: quiet(out), run: noProcess, env: {}, input: exampleOrganization })).toBe(0);
      const deployLine = out
        .join("\n")
        .split("\n")
        .find((l) => l.includes("cdktf deploy"))!;
      expect(deployLine).toContain(
        name === "central" ? "npx cdktf deploy central" : `npx cdktf deploy '${name}-*' --skip-synth --auto-approve --parallelism 4`,
      );
    }
  });

  it("applies in every environment only what the merged pull request's review showed", () => {
    const upload = plan.jobs.review!.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
    const reviewStep = plan.jobs.review!.steps.find((s) => /npm run plan-review/.test(s.run ?? ""))!;
    const [reviewRun] = npmRuns([reviewStep]);
    const reviewJson = reviewRun!.args[reviewRun!.args.indexOf("--json") + 1]!;
    expect(upload.with!.path).toContain(reviewJson);
    const reviewedPlan = load<{ inputs: Record<string, unknown>; runs: { steps: Step[] } }>(".github/actions/reviewed-plan/action.yml");
    expect(reviewedPlan.runs.steps).toEqual([
      {
        uses: "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093",
        with: { name: upload.with!.name, "run-id": "${{ inputs.run-id }}", "github-token": "${{ github.token }}", path: "reviewed" },
      },
    ]);
    for (const name of chain().slice(1)) {
      const job = deploy.jobs[name]!;
      expect(job.needs, name).toContain("reviewed");
      expect(job.steps.find((s) => s.uses === "./.github/actions/reviewed-plan")?.with, name).toEqual({ "run-id": "${{ needs.reviewed.outputs.run-id }}" });
      const step = job.steps.find((s) => /npm run rollout/.test(s.run ?? ""))!;
      const [rollout] = npmRuns([step]);
      const at = (flag: string) => rollout!.args.slice(rollout!.args.indexOf(flag), rollout!.args.indexOf(flag) + 2);
      expect(at("--reviewed"), name).toEqual(["--reviewed", `reviewed/${reviewJson}`]);
      // the operator's list reaches the shell as a variable, never as code
      expect(at("--accept-changed-plan"), name).toEqual(["--accept-changed-plan", "$ACCEPT_CHANGED_PLAN"]);
      expect(step.env).toEqual({ ACCEPT_CHANGED_PLAN: "${{ inputs.accept-changed-plan }}" });
      expect(job.permissions, name).toEqual({ contents: "read", "id-token": "write", actions: "read" });
    }
    expect(deploy.permissions).toEqual({ contents: "read" });
    expect(deploy.jobs.reviewed!.permissions).toEqual({ actions: "read", "pull-requests": "read" });
  });

  it("never cancels a rollout that is running, and deploys from main only", () => {
    expect(deploy.concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
    expect(deploy.on).toMatchObject({ push: { branches: ["main"] } });
    expect(readFileSync(join(root, ".github/workflows/deploy.yml"), "utf8")).not.toMatch(/PATCHLINE_ROLE|PATCHLINE_OFFLINE/);
    // workflow_dispatch runs on any branch a user picks: every job checks the ref itself
    for (const [name, job] of Object.entries(deploy.jobs)) expect(job.if, name).toMatch(/^github\.ref == 'refs\/heads\/main'( |$)/);
  });
});
