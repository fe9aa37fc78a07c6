import { decryptDeny } from "./decrypt.js";
import type { PolicyStatement } from "./document.js";

/**
 * Data-plane reads the plan role must never make, denied explicitly so that no other policy on the
 * role (a leftover ReadOnlyAccess, a broad managed policy) can grant them to code under review.
 * None of them is a call the provider makes to plan what patchline renders.
 */
export const deniedDataReads: readonly string[] = [
  // DynamoDB items (approvals, notices) and streams
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:PartiQLSelect",
  "dynamodb:GetRecords",
  // secret values (chat webhook URLs) and parameters: patchline renders no parameter, so every
  // parameter value is denied, SecureString or not, decrypted or not
  "secretsmanager:GetSecretValue",
  "secretsmanager:BatchGetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "ssm:GetParameterHistory",
  // Run Command output
  "ssm:GetCommandInvocation",
  // kms:Decrypt has a statement of its own (decrypt.ts): allowed through Step Functions only
  "sqs:ReceiveMessage",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:GetLogRecord",
  "logs:StartQuery",
  "logs:GetQueryResults",
  "logs:StartLiveTail",
  "athena:GetQueryResults",
  "athena:StartQueryExecution",
  // executions' input and output carry approval requests and decisions
  "states:GetExecutionHistory",
  "states:DescribeExecution",
];

/** S3 object reads, denied everywhere except on the objects patchline renders. */
export const deniedObjectReads: readonly string[] = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes"];

export function denyStatements(renderedObjects: readonly string[], decryptVia: readonly string[]): PolicyStatement[] {
  return [
    { Sid: "DenyDataReads", Effect: "Deny", Action: [...deniedDataReads], Resource: "*" },
    decryptDeny(decryptVia),
    renderedObjects.length === 0
      ? { Sid: "DenyObjectReads", Effect: "Deny", Action: [...deniedObjectReads], Resource: "*" }
      : { Sid: "DenyObjectReadsButRendered", Effect: "Deny", Action: [...deniedObjectReads], NotResource: [...renderedObjects] },
  ];
}
