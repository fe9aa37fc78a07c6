import { describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { approvalChannels } from "../../functions/approval/request/chat.js";
import { centralKeyArn, synthApprovalWorkflow } from "../../test/support/approval-workflow-synth.js";
import { exampleWith } from "../../test/support/config.js";
import { bySid, statementsOf } from "../../test/support/policies.js";
import { bodiesOf, type Block, type TerraformJson } from "../../test/support/terraform-json.js";
import { Naming } from "../naming.js";
import { checkLimits } from "../limits/index.js";
import { checkRequestEnvironment } from "../limits/request-environment.js";
import { problemLine } from "../limits/growth.js";
import { approvalChannelDirectory } from "./request-environment.js";

/** prod posts to two channels, preprod to one of them (acknowledging that channel members may decide); dev, as in the example, to its Slack channel. */
const withChannels: OrgConfigInput = exampleWith((d) => {
  Object.assign(d.environments.prod.approval, { channels: ["platform-teams", "security-slack"], channelMembersMayDecide: true });
  Object.assign(d.environments.preprod.approval, { channels: ["platform-teams"], channelMembersMayDecide: true });
});

const requestFunction = (json: TerraformJson) => bodiesOf(json, "aws_lambda_function").find((f) => f.function_name === "patchline-approval-request")!;
const requestPolicy = (json: TerraformJson) => bySid(statementsOf(json, "aws_iam_role_policy", "policy", (b) => String(b.role).includes("RequestFunction")));
const variables = (json: TerraformJson) => (requestFunction(json).environment as Block).variables as Record<string, string>;

describe("the request function's chat wiring", () => {
  const config = parseOrgConfig(withChannels);
  const json = synthApprovalWorkflow(config);

  it("lists each environment's channels, each channel once with its secret, in APPROVAL_CHANNELS; the function reads them back", () => {
    expect(JSON.parse(variables(json).APPROVAL_CHANNELS!)).toEqual({
      channels: {
        "app-teams-slack": { type: "slack", secretId: "patchline/chat/app-teams-slack" },
        "platform-teams": { type: "teams", secretId: "patchline/chat/platform-teams" },
        "security-slack": { type: "slack", secretId: "patchline/chat/security-slack" },
      },
      environments: { dev: ["app-teams-slack"], preprod: ["platform-teams"], prod: ["platform-teams", "security-slack"] },
    });
    const channelsOf = approvalChannels(variables(json).APPROVAL_CHANNELS);
    expect(channelsOf("prod").map((c) => [c.name, c.type, c.destination])).toEqual([
      ["platform-teams", "teams", "patchline/chat/platform-teams"],
      ["security-slack", "slack", "patchline/chat/security-slack"],
    ]);
    expect(channelsOf("sandbox")).toEqual([]);
  });

  it("may read exactly those channels' webhook secrets, decrypting through Secrets Manager only", () => {
    const policy = requestPolicy(json);
    expect(policy.ReadApprovalChannelWebhookUrls).toMatchObject({
      actions: ["secretsmanager:GetSecretValue"],
      resources: [
        "arn:aws:secretsmanager:us-east-1:100000000001:secret:patchline/chat/app-teams-slack-??????",
        "arn:aws:secretsmanager:us-east-1:100000000001:secret:patchline/chat/platform-teams-??????",
        "arn:aws:secretsmanager:us-east-1:100000000001:secret:patchline/chat/security-slack-??????",
      ],
    });
    expect(policy.DecryptWebhookSecrets).toMatchObject({
      actions: ["kms:Decrypt"],
      resources: [centralKeyArn],
      conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: ["secretsmanager.us-east-1.amazonaws.com"] }],
    });
  });

  it("gives the function the digest's timeout, which covers a channel's retries (170 s at worst)", () => {
    expect(requestFunction(json).timeout).toBe(240);
  });

  it("without approval channels: no variable, no secret, the default timeout", () => {
    const plain = synthApprovalWorkflow(parseOrgConfig(exampleWith((d) => delete d.environments.dev.approval.channels)));
    expect(variables(plain).APPROVAL_CHANNELS).toBeUndefined();
    expect(JSON.stringify(requestPolicy(plain))).not.toContain("secretsmanager");
    expect(requestFunction(plain).timeout).toBe(30);
  });

  it("leaves out the channels of an environment whose workflow is off", () => {
    const off = parseOrgConfig(
      exampleWith((d) => {
        Object.assign(d.environments.prod.approval, { channels: ["security-slack"], channelMembersMayDecide: true });
        Object.assign(d.environments.preprod.approval, { enabled: false, channels: ["platform-teams"] });
        delete d.environments.dev.approval.channels;
      }),
    );
    expect(approvalChannelDirectory(off, new Naming(off.org))).toEqual({
      channels: { "security-slack": { type: "slack", secretId: "patchline/chat/security-slack" } },
      environments: { prod: ["security-slack"] },
    });
  });
});

describe("the request function's environment (Lambda: 4 KB for all variables)", () => {
  /** `count` Slack channels of 32-character names, all posted to by prod. */
  const withManyChannels = (count: number) =>
    parseOrgConfig(
      exampleWith((d) => {
        const names = Array.from({ length: count }, (_, i) => `approvals-channel-number-${String(i).padStart(7, "0")}`);
        for (const name of names) d.org.channels[name] = { type: "slack" };
        Object.assign(d.environments.prod.approval, { channels: names, channelMembersMayDecide: true });
        delete d.environments.dev.approval.channels;
      }),
    );
  const linesOf = (config: ReturnType<typeof withManyChannels>) => checkRequestEnvironment(config, new Naming(config.org)).map(problemLine);

  it("fits 24 channels of the longest names, not 25, and says so in the checks synth runs", () => {
    expect(linesOf(withManyChannels(24))).toEqual([]);
    expect(linesOf(withManyChannels(25))).toEqual([
      "prod.approval.channels: the approval-request function would carry the approval channels of prod in its environment, 4,203 bytes with its other variables, above Lambda's 4,096-byte (4 KB) limit per function: post to fewer channels (several environments may share one), or shorten channel names",
    ]);
    expect(checkLimits(withManyChannels(25))).toContainEqual(expect.stringMatching(/^prod\.approval\.channels: /));
  });
});
