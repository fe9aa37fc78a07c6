import { fileURLToPath } from "node:url";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { OrgConfig } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { approvalFunctions } from "../../contracts/functions.js";
import { ApprovalWorkflow } from "../../stacks/approval/workflow.js";
import { exampleConfig, exampleNaming, synthConstruct } from "./construct-synth.js";
import type { TerraformJson } from "./terraform-json.js";

/** The central key the workflow's construct tests hand it. */
export const centralKeyArn = "arn:aws:kms:us-east-1:100000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab";

// any existing file stands in for a built zip: the constructs only copy and hash what they are given
const artifacts: FunctionArtifacts = Object.fromEntries(
  approvalFunctions.map((kind) => [
    `approval-${kind}`,
    { name: `approval-${kind}`, zipPath: fileURLToPath(import.meta.url), sha256Base64: `hash-of-${kind}`, sha256Hex: "00", bytes: 1 },
  ]),
);

/**
 * The approval workflow alone in a stack of the central account, rendered: with a provider in
 * `edgeRegion` for the edge's web ACL when one is given (org.approval.edge needs us-east-1).
 */
export function synthApprovalWorkflow(config: OrgConfig = exampleConfig, edgeRegion?: string): TerraformJson {
  return synthConstruct((stack, provider) => {
    const edgeProvider = edgeRegion ? new AwsProvider(stack, "edge", { alias: "edge", region: edgeRegion }) : undefined;
    new ApprovalWorkflow(stack, "Approval", {
      config,
      naming: exampleNaming,
      artifacts,
      key: { arn: centralKeyArn },
      bus: { name: "patchline-central" },
      notifications: { arn: "arn:aws:sns:us-east-1:100000000001:patchline-notifications" },
      provider,
      edgeProvider,
    });
  });
}
