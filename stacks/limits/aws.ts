/**
 * The AWS hard limits the synthesized output can run into as an organization grows, each with the
 * page that states it. Every number here is fixed by AWS (no quota increase lifts it).
 */
export const awsLimits = {
  /** "Bucket policies are limited to 20 KB in size." https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html */
  s3BucketPolicyBytes: 20 * 1024,
  /**
   * "Maximum size of a state machine definition: 1 MB, hard quota."
   * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html; hashicorp/aws validates
   * `aws_sfn_state_machine.definition` as at most 1024*1024 bytes.
   */
  stepFunctionsDefinitionBytes: 1024 * 1024,
  /** State input and output: "Maximum length of 262144 … bytes in UTF-8 encoding." https://docs.aws.amazon.com/step-functions/latest/apireference/API_StateEnteredEventDetails.html */
  stepFunctionsPayloadBytes: 256 * 1024,
  /**
   * "Role policy size cannot exceed 10,240 characters" (all inline policies of a role together),
   * "Managed policy size cannot exceed 6,144 characters"; "IAM doesn't count white space".
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
   */
  iamRolePolicyCharacters: 10_240,
  iamManagedPolicyCharacters: 6_144,
  /** TableInput.Parameters: "Value Length Constraints: Maximum length of 512000." https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html */
  glueTableParameterCharacters: 512_000,
  /** "The total combination of values in a filter policy must not exceed 150." https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html */
  snsFilterPolicyCombinations: 150,
  /** Target.Values: "the maximum number of values for a key might be lower than the global maximum of 50." https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Target.html */
  ssmTargetValues: 50,
  /**
   * CreatePatchBaseline ApprovedPatches / RejectedPatches: at most 50 items each
   * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreatePatchBaseline.html;
   * hashicorp/aws `aws_ssm_patch_baseline` approved_patches / rejected_patches MaxItems 50).
   */
  ssmBaselineExplicitPatches: 50,
  /** CreateDocument Content: "The content of the document must not exceed 64KB." https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html */
  ssmDocumentBytes: 64 * 1024,
  /** "Environment variables: 4 KB, for all environment variables associated with the function, in aggregate." https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html */
  lambdaEnvironmentBytes: 4 * 1024,
  /** CustomPolicyDetails.PolicyText: "Maximum length of 10000." https://docs.aws.amazon.com/config/latest/APIReference/API_CustomPolicyDetails.html */
  configPolicyTextCharacters: 10_000,
} as const;

/** 1234567 → "1,234,567": the numbers in problem lines. */
export const count = (value: number): string => value.toLocaleString("en-US");

/** 1 → "1st", 12 → "12th", 1259 → "1,259th". */
export function ordinal(value: number): string {
  const tens = value % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[value % 10] ?? "th");
  return `${count(value)}${suffix}`;
}
