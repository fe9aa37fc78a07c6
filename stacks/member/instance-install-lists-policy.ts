import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { emergencyKeys } from "../../contracts/emergency-patch.js";
import { policyDocument, type PolicyStatement } from "../core/iam-policy.js";
import type { Naming } from "../naming.js";

/**
 * The install lists an instance of `environment` may be told to install from (AWS-RunPatchBaseline
 * reads InstallOverrideList with the instance's own credentials): its environment's promoted
 * patches (promotion mode install-override-list) and the named patches of its environment's
 * emergency runs, in the central account's buckets. Not a statement of the instance output policy:
 * that one grows with the account's regions and has no room left for 34 of them.
 */
export function instanceInstallListsStatements(environment: string, naming: Naming): PolicyStatement[] {
  return [
    {
      sid: "ReadThisEnvironmentsInstallLists",
      actions: ["s3:GetObject"],
      resources: [
        `arn:aws:s3:::${naming.promotionsBucket}/${naming.installOverrideListKey(environment)}`,
        `arn:aws:s3:::${naming.emergencyBucket}/${emergencyKeys.installLists}${environment}/*`,
      ],
    },
  ];
}

export interface InstanceInstallListsPolicyProps {
  readonly environment: string;
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/** The managed policy app teams attach to instance profiles, next to the instance output policy, so that named and promoted patches install. */
export class InstanceInstallListsPolicy extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: InstanceInstallListsPolicyProps) {
    super(scope, id);
    const { naming, provider } = props;
    const document = policyDocument(this, "Document", provider, instanceInstallListsStatements(props.environment, naming));
    this.policy = new IamPolicy(this, "Policy", {
      provider,
      name: naming.instanceInstallListsPolicy,
      description: "patchline: lets the SSM agent read the install lists (promoted and emergency patches) of its environment",
      policy: document.json,
    });
  }
}
