import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventBusPolicy } from "@cdktf/provider-aws/lib/cloudwatch-event-bus-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";
import { policyDocument } from "../core/iam-policy.js";

export interface CentralEventBusProps {
  readonly naming: Naming;
  readonly organizationId: string;
  readonly provider: AwsProvider;
}

/** The bus member accounts forward SSM events to; only principals of the organization may put events. */
export class CentralEventBus extends Construct {
  readonly bus: CloudwatchEventBus;

  constructor(scope: Construct, id: string, props: CentralEventBusProps) {
    super(scope, id);
    const { provider } = props;
    this.bus = new CloudwatchEventBus(this, "Bus", { provider, name: props.naming.centralEventBus });
    const policy = policyDocument(this, "Policy", provider, [
      {
        sid: "OrganizationMembersPutEvents",
        actions: ["events:PutEvents"],
        resources: [this.bus.arn],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: [props.organizationId] }],
      },
    ]);
    // one policy resource only: aws_cloudwatch_event_bus_policy and aws_cloudwatch_event_permission overwrite each other
    new CloudwatchEventBusPolicy(this, "BusPolicy", { provider, eventBusName: this.bus.name, policy: policy.json });
  }
}
