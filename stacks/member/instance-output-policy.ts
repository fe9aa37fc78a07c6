import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";
import { policyDocument, type PolicyStatement } from "../core/iam-policy.js";

export interface InstanceOutputPolicyProps {
  readonly environment: string;
  readonly accountId: string;
  readonly regions: readonly string[];
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/**
 * What the SSM agent may do with patch output of one account (the managed policy's statements). The
 * policy grows with the account's regions: stacks/limits checks it against IAM's managed policy size.
 */
export function instanceOutputStatements(environment: string, accountId: string, regions: readonly string[], naming: Naming): PolicyStatement[] {
  return [
    {
      sid: "WriteOutputToThisAccountsPrefix",
      actions: ["s3:PutObject"],
      resources: [`${naming.logBucketArn}/run-command/${environment}/${accountId}/*`],
    },
    {
      // the agent checks the bucket's encryption before it uploads
      sid: "ReadOutputBucketEncryption",
      actions: ["s3:GetEncryptionConfiguration"],
      resources: [naming.logBucketArn],
    },
    {
      sid: "StreamOutputToTheRunCommandLogGroup",
      actions: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
      resources: regions.flatMap((region) => [
        `arn:aws:logs:${region}:${accountId}:log-group:${naming.runCommandLogGroup}`,
        `arn:aws:logs:${region}:${accountId}:log-group:${naming.runCommandLogGroup}:log-stream:*`,
      ]),
    },
    {
      // the agent looks the group up before streaming; DescribeLogGroups has no resource-level permissions
      sid: "FindTheRunCommandLogGroup",
      actions: ["logs:DescribeLogGroups"],
      resources: ["*"],
    },
  ];
}

/**
 * The managed policy app teams attach to their instance profiles (next to
 * AmazonSSMManagedInstanceCore) so the SSM agent can write patch output: to this account's prefix
 * of the central bucket, and to the run-command log group of each region.
 */
export class InstanceOutputPolicy extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: InstanceOutputPolicyProps) {
    super(scope, id);
    const { naming, accountId, regions, environment, provider } = props;
    const document = policyDocument(this, "Document", provider, instanceOutputStatements(environment, accountId, regions, naming));
    this.policy = new IamPolicy(this, "Policy", {
      provider,
      name: naming.instanceOutputPolicy,
      description: "patchline: lets the SSM agent write patch command output to the central bucket and CloudWatch Logs",
      policy: document.json,
    });
  }
}
