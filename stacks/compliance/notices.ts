import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { assumeMemberRoleStatement } from "../member/central-access-role.js";
import type { PolicyStatement } from "../core/iam-policy.js";
import type { LambdaFunction } from "../core/lambda-function.js";
import { Schedule } from "../core/schedule.js";
import { complianceFunctionNames } from "../../contracts/functions.js";
import { sendEmailFrom, useCentralKey, readFleetCatalog } from "../core/central-statements.js";
import { channelStatements } from "./statements.js";
import { complianceFunction, type ComplianceWorkflowProps } from "./workflow.js";

/** How often the notices function looks for due notices: a notice goes out at most this late. */
export const NOTICE_CHECK_EXPRESSION = "rate(15 minutes)";

/**
 * Impending-patch notices: a function that, every quarter of an hour, computes which window runs
 * open within their environment's lead time and sends each notice once (recorded in a table), and
 * the schedule that calls it. A cron cannot say "24 h before the first Wednesday at 21:00 Central",
 * so the lead time is computed from each window's own schedule and time zone.
 */
export class PatchNotices extends Construct {
  readonly function: LambdaFunction;
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: ComplianceWorkflowProps) {
    super(scope, id);
    const { org, naming, key, provider } = props;
    const region = org.central.region;
    const tableArn = `arn:aws:dynamodb:${region}:${org.central.accountId}:table/${naming.patchNoticesTable}`;

    this.table = new DynamodbTable(this, "Ledger", {
      provider,
      name: naming.patchNoticesTable,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      rangeKey: "sk",
      attribute: [
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
      ],
      ttl: { attributeName: "expiresAt", enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
      pointInTimeRecovery: { enabled: true },
    });

    const sender = org.email?.senderAddress;
    const senderStatements: PolicyStatement[] = sender ? [sendEmailFrom("MailOwnersFromTheSender", sender, region, org.central.accountId)] : [];
    this.function = complianceFunction(this, props, {
      name: complianceFunctionNames.notices,
      description: "sends impending-patch notices before maintenance windows open",
      timeoutSeconds: 300,
      memorySizeMb: 512,
      // one run at a time: a run never races another over the same notice
      reservedConcurrency: 1,
      environment: { NOTICES_TABLE: naming.patchNoticesTable, ...(sender ? { SENDER_ADDRESS: sender } : {}) },
      statements: [
        readFleetCatalog(naming),
        assumeMemberRoleStatement("AssumeComplianceReader", naming.complianceReaderRole, org.organizationId),
        { sid: "RecordSentNotices", actions: ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [tableArn] },
        ...channelStatements(props.channels),
        ...senderStatements,
        useCentralKey("UseTheCentralKey", key, region, ["s3", "sns", "secretsmanager", "dynamodb"], ["kms:Decrypt", "kms:GenerateDataKey"]),
      ],
    });

    const functionArn = naming.centralFunctionArn(complianceFunctionNames.notices);
    new Schedule(this, "Schedule", {
      scheduleName: naming.schedule("patch-notices"),
      description: "looks for due impending-patch notices",
      expression: NOTICE_CHECK_EXPRESSION,
      targetArn: functionArn,
      targetStart: { sid: "InvokeNotices", action: "lambda:InvokeFunction" },
      input: "{}",
      deadLetterQueue: props.deadLetterQueue,
      key,
      accountId: org.central.accountId,
      region,
      provider,
    });
  }
}
