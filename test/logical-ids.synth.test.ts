import { describe, expect, it } from "vitest";
import { synthOrg } from "./support/synth.js";
import { resourcesOf } from "./support/terraform-json.js";

/**
 * Stateful resources keep their Terraform addresses: a construct refactor that changes them must
 * add `moveTo()` (moved blocks) instead of destroying baselines, windows or the log bucket.
 */
describe("logical ids of stateful resources", () => {
  const { stacks } = synthOrg();
  const names = (stack: string, type: string) =>
    resourcesOf(stacks.get(stack)!.json, type)
      .map(([name]) => name)
      .sort();

  it("patch baselines", () => {
    expect(names("prod-web-prod", "aws_ssm_patch_baseline").filter((n) => n.startsWith("us-east-1"))).toEqual([
      "us-east-1_Baselines_AMAZON_LINUX_2023_77CA8349",
      "us-east-1_Baselines_AMAZON_LINUX_2_57B86EAA",
      "us-east-1_Baselines_REDHAT_ENTERPRISE_LINUX_F77E22D3",
      "us-east-1_Baselines_UBUNTU_D423959C",
      "us-east-1_Baselines_WINDOWS_64D7093A",
    ]);
  });

  it("maintenance windows", () => {
    expect(names("prod-web-prod", "aws_ssm_maintenance_window")).toEqual([
      "eu-west-1_MaintenanceWindows_prod-monthly_Window_837B2853",
      "us-east-1_MaintenanceWindows_prod-monthly_Window_E8A2F81A",
    ]);
  });

  it("central: buckets, keys, bus, tables, state machines, queues, Glue catalog, channel secrets (they hold the webhook URLs)", () => {
    expect(names("central", "aws_s3_bucket")).toEqual([
      "Compliance_Storage_Data_Bucket_80CB5F3C",
      "Compliance_Storage_Evidence_Bucket_22A476DF",
      "Compliance_Storage_Reports_Bucket_4BD7FBBA",
      "Emergency_Bucket_81825F66",
      "LogBucket_Bucket_A736693E",
    ]);
    expect(names("central", "aws_kms_key")).toEqual(["Approval_LinkKey_3C8EE127", "Key_43586C89"]);
    expect(names("central", "aws_cloudwatch_event_bus")).toEqual(["EventBus_BFA69192"]);
    expect(names("central", "aws_dynamodb_table")).toEqual(["Approval_Approvals_Table_F336D4FB", "Compliance_Notices_Ledger_9A2459FA"]);
    expect(names("central", "aws_sfn_state_machine")).toEqual([
      "Approval_Workflow_StateMachine_8CB2D481",
      "Compliance_Run_StateMachine_05593BCD",
      "Emergency_StateMachine_4C7CC135",
    ]);
    expect(names("central", "aws_sqs_queue")).toEqual(["Approval_Trigger_DeadLetters_Queue_B5DEECCF", "Compliance_DeadLetterQueue_1355729A"]);
    expect(names("central", "aws_glue_catalog_database")).toEqual(["Compliance_Analytics_Database_2A43EDFE"]);
    expect(names("central", "aws_secretsmanager_secret")).toEqual([
      "Compliance_Channels_app-teams-slack_4840A723",
      "Compliance_Channels_platform-teams_5ACBBF45",
      "Compliance_Channels_security-slack_50C36D53",
    ]);
  });

  it("central: the QuickSight dashboard and its data sets (readers' bookmarks, subscriptions and SPICE imports go with them)", () => {
    expect(names("central", "aws_quicksight_dashboard")).toEqual(["Compliance_QuickSight_Dashboard_507F3D88"]);
    expect(names("central", "aws_quicksight_data_set")).toEqual([
      "Compliance_QuickSight_DataSet_missing_patches_75D71DA1",
      "Compliance_QuickSight_DataSet_run_summaries_A98D08CC",
      "Compliance_QuickSight_DataSet_target_results_B0381B1E",
    ]);
  });

  it("member: resource data syncs", () => {
    expect(names("prod-web-prod", "aws_ssm_resource_data_sync")).toEqual(["eu-west-1_ComplianceDataSync_466025B3", "us-east-1_ComplianceDataSync_9051577C"]);
  });
});
