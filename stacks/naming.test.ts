import { describe, expect, it } from "vitest";
import { operatingSystems } from "../environments/schema/index.js";
import { approvalFunctions } from "../contracts/functions.js";
import { Naming, NameTooLong } from "./naming.js";

const naming = new Naming({
  namePrefix: "patchline",
  central: { accountName: "tooling", accountId: "100000000001", region: "us-east-1" },
  deployRoleName: "patchline-deploy",
  planRoleName: "patchline-plan",
});

describe("names derived from config", () => {
  it("names member stacks <environment>-<account name>", () => {
    expect(naming.memberStack("prod", { name: "web-prod" })).toBe("prod-web-prod");
  });

  it("puts the central account id and region into the log bucket name, which is global", () => {
    expect(naming.logBucket).toBe("patchline-logs-100000000001-us-east-1");
    expect(naming.logBucketArn).toBe("arn:aws:s3:::patchline-logs-100000000001-us-east-1");
  });

  it("builds role ARNs in the right account", () => {
    expect(naming.deployRoleArn("400000000002")).toBe("arn:aws:iam::400000000002:role/patchline-deploy");
    expect(naming.planRoleArn("400000000002")).toBe("arn:aws:iam::400000000002:role/patchline-plan");
    expect(naming.centralRoleArn("patchline-approval")).toBe("arn:aws:iam::100000000001:role/patchline-approval");
  });

  it("addresses the central event bus by ARN in the central region", () => {
    expect(naming.centralEventBusArn).toBe("arn:aws:events:us-east-1:100000000001:event-bus/patchline-central");
  });

  it("names baselines per environment and OS in SSM's character set", () => {
    expect(naming.baseline("prod", "AMAZON_LINUX_2023")).toBe("patchline-prod-amazon-linux-2023");
  });

  it("addresses the approval workflow's resources in the central account and region", () => {
    expect(naming.approvalFunctionArn("request")).toBe("arn:aws:lambda:us-east-1:100000000001:function:patchline-approval-request");
    expect(naming.approvalsTopicArn).toBe("arn:aws:sns:us-east-1:100000000001:patchline-approvals");
    expect(naming.approvalEscalationsTopicArn).toBe("arn:aws:sns:us-east-1:100000000001:patchline-approval-escalations");
    expect(naming.notificationsTopicArn).toBe("arn:aws:sns:us-east-1:100000000001:patchline-notifications");
    expect(naming.approvalTriggerRuleArn).toBe("arn:aws:events:us-east-1:100000000001:rule/patchline-central/patchline-start-approval");
  });

  it("names the compliance buckets after the central account and region, and the central functions after the prefix", () => {
    expect(naming.reportsBucket).toBe("patchline-reports-100000000001-us-east-1");
    expect(naming.complianceDataBucket).toBe("patchline-patch-data-100000000001-us-east-1");
    expect(naming.evidenceBucket).toBe("patchline-evidence-100000000001-us-east-1");
    expect(naming.centralFunctionArn("compliance-collector")).toBe("arn:aws:lambda:us-east-1:100000000001:function:patchline-compliance-collector");
    expect(naming.complianceStateMachineArn).toBe("arn:aws:states:us-east-1:100000000001:stateMachine:patchline-compliance");
  });

  it("keeps webhook URLs in one secret per channel, and e-mail channels in a topic each", () => {
    expect(naming.channelSecret("security-slack")).toBe("patchline/chat/security-slack");
    expect(naming.channelSecretArnPattern("security-slack")).toBe("arn:aws:secretsmanager:us-east-1:100000000001:secret:patchline/chat/security-slack-??????");
    expect(naming.channelTopicArn("patching-mail")).toBe("arn:aws:sns:us-east-1:100000000001:patchline-channel-patching-mail");
  });

  it("names Glue objects with underscores, which Glue requires", () => {
    expect(
      new Naming({ namePrefix: "acme-patching", central: { accountName: "t", accountId: "100000000001", region: "us-east-1" }, deployRoleName: "d" })
        .glueDatabase,
    ).toBe("acme_patching_compliance");
  });

  it("keys Run Command output by environment, account id and region", () => {
    expect(naming.runCommandOutputPrefix("prod", "400000000002", "eu-west-1")).toBe("run-command/prod/400000000002/eu-west-1");
  });
});

describe("AWS name length limits", () => {
  it("are met by the longest values the schema allows", () => {
    const longest = new Naming({
      namePrefix: "a".repeat(20),
      central: { accountName: "tooling", accountId: "100000000001", region: "ap-southeast-4" },
      deployRoleName: "d".repeat(64),
    });
    // each getter throws NameTooLong past its AWS limit
    const allNames = () => [
      longest.logBucket,
      longest.notificationsTopic,
      longest.centralEventBus,
      longest.maintenanceWindowRole,
      longest.instanceOutputPolicy,
      longest.patchCommandsTopic,
      longest.eventForwardingRole,
      longest.approvalAccessRole,
      longest.complianceReaderRole,
      longest.approvalStateMachine,
      `${longest.approvalStateMachine}-state-machine`,
      longest.approvalsTable,
      longest.approvalsTopic,
      longest.approvalEscalationsTopic,
      longest.approvalTriggerRule,
      longest.approvalTriggerRole,
      longest.approvalTriggerQueue,
      ...approvalFunctions.map((kind) => longest.approvalFunction(kind)),
      longest.reportsBucket,
      longest.complianceDataBucket,
      longest.evidenceBucket,
      longest.resourceDataSync,
      longest.complianceStateMachine,
      longest.centralFunction("compliance-collector"),
      longest.centralFunction("patch-failures"),
      longest.configRule("maintenance-window-tag"),
      longest.channelTopic("c".repeat(32)),
      longest.schedule("patch-notices"),
      longest.backupVault,
      longest.changeCalendar,
      longest.restoreRunbook,
      ...operatingSystems.map((os) => longest.baseline("e".repeat(16), os)),
    ];
    expect(allNames).not.toThrow();
  });

  it("are enforced with an error that says which name, how long, and what to shorten", () => {
    const tooLong = new Naming({
      namePrefix: "p".repeat(50),
      central: { accountName: "tooling", accountId: "100000000001", region: "us-east-1" },
      deployRoleName: "x",
    });
    expect(() => tooLong.maintenanceWindowRole).toThrow(NameTooLong);
    expect(() => tooLong.maintenanceWindowRole).toThrow(
      `iamRole name "${"p".repeat(50)}-maintenance-window" is 69 characters; AWS allows 64. Shorten org.namePrefix or the account name.`,
    );
    expect(() => tooLong.logBucket).toThrow(/^bucket name ".*" is 78 characters; AWS allows 63/);
    expect(() => tooLong.backupVault).toThrow(/^backupVault name ".*-pre-patch" is 60 characters; AWS allows 50/);
  });
});
