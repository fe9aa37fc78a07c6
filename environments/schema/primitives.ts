import cronValidateModule from "cron-validate";
import { partition } from "@aws-sdk/util-endpoints";
import { z } from "zod";
import { show } from "./messages.js";

// cron-validate is CommonJS with an `exports.default`; under ESM the default import is the exports object.
const cronValidate = ((cronValidateModule as unknown as { default?: typeof cronValidateModule }).default ?? cronValidateModule) as typeof cronValidateModule;

/** A 12-digit AWS account id, kept as a string so leading zeros survive. */
export const accountId = z.string({ error: (i) => (i.input === undefined ? "is required (a 12-digit AWS account id)" : undefined) }).regex(/^\d{12}$/, {
  error: (i) => `${show(i.input)} is not a 12-digit AWS account id`,
});

/** Account names end up in stack names (`prod-payments`) and resource names. */
export const accountName = z.string().regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, {
  error: (i) => `${show(i.input)} is not a valid account name: 2-40 lowercase letters, digits and hyphens, starting with a letter`,
});

export const environmentName = z.string().regex(/^[a-z][a-z0-9]{1,15}$/, {
  error: (i) => `${show(i.input)} is not a valid environment name: 2-16 lowercase letters and digits, starting with a letter`,
});

/** Names of maintenance windows, patch baselines and SSM documents: the SSM API's pattern. */
export const ssmResourceName = z.string().regex(/^[a-zA-Z0-9_.-]{3,128}$/, {
  error: (i) => `${show(i.input)} is not a valid SSM name: 3-128 characters from a-z, A-Z, 0-9, "_", "-", "."`,
});

/** SSM reserves document names that start with these prefixes for AWS-owned documents. */
const reservedDocumentPrefixes = ["aws", "amazon", "amzn"];
export const ssmDocumentName = ssmResourceName.refine((name) => !reservedDocumentPrefixes.some((p) => name.toLowerCase().startsWith(p)), {
  error: (i) => `${show(i.input)} starts with a prefix SSM reserves for AWS documents (${reservedDocumentPrefixes.join(", ")})`,
});

/** Patch group names are tag values of `Patch Group`: the SSM API's PatchGroup pattern. */
export const patchGroupName = z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u, {
  error: (i) => `${show(i.input)} is not a valid patch group name: 1-256 letters, digits, spaces and _.:/=+-@`,
});

/** True for region codes the AWS SDK's partition catalog knows (it carries a description only for real regions). */
export function isKnownRegion(region: string): boolean {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return false;
  return "description" in (partition(region) as unknown as Record<string, unknown>);
}

export const region = z.string().refine(isKnownRegion, {
  error: (i) => `${show(i.input)} is not an AWS region code (e.g. "us-east-1")`,
});

export function isIanaTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z.string().refine(isIanaTimeZone, {
  error: (i) => `${show(i.input)} is not an IANA time zone (e.g. "America/Chicago", "Europe/Berlin", "UTC")`,
});

/** cron-validate's messages name its own options and field names; say it in AWS's terms. */
const cronReasonRewrites: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Expected (\d+) values, but got (\d+)\.?$/, "AWS cron has $1 fields (minutes hours day-of-month month day-of-week year), got $2"],
  [/^Cannot specify both daysOfMonth and daysOfWeek.*$/, 'day-of-month and day-of-week cannot both be set; one of them must be "?"'],
  [/^Cannot use blank value in daysOfMonth and daysOfWeek.*$/, 'day-of-month and day-of-week cannot both be "?"'],
  [/\bdaysOfMonth\b/g, "day-of-month"],
  [/\bdaysOfWeek\b/g, "day-of-week"],
  [/\bmonths\b field/g, "month field"],
  [/\byears\b field/g, "year field"],
  [/\.$/, ""],
];

function cronReason(libraryMessage: string): string {
  return cronReasonRewrites.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), libraryMessage.replace(/ \(Input cron: .*\)$/, ""));
}

/** Why an SSM schedule expression is invalid, or undefined when it is valid. */
export function scheduleProblem(expression: string): string | undefined {
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const result = cronValidate(cron[1]!.trim(), { preset: "aws-cloud-watch" });
    if (result.isValid()) return undefined;
    const reasons = [...new Set(result.getError().map(cronReason))];
    return `${show(expression)} is not a valid AWS cron expression: ${reasons.join("; ")}`;
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    if (value < 1) return `${show(expression)} has a rate below 1`;
    if (value === 1 && unit.endsWith("s")) return `${show(expression)} must use the singular unit for 1 (e.g. "rate(1 day)")`;
    if (value > 1 && !unit.endsWith("s")) return `${show(expression)} must use a plural unit for values above 1 (e.g. "rate(2 days)")`;
    return undefined;
  }
  return `${show(expression)} is not an SSM schedule: use "cron(minutes hours day-of-month month day-of-week year)" or "rate(value unit)"`;
}

export const schedule = z.string().superRefine((value, ctx) => {
  const problem = scheduleProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
});

export const isCron = (expression: string): boolean => expression.startsWith("cron(");

/** SSM rate control: a count or a percentage, as the SendCommand API accepts it. */
export const maxConcurrency = z.string().regex(/^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/, {
  error: (i) => `${show(i.input)} is not a concurrency: a count from 1 (e.g. "10") or a percentage from 1% to 100% (e.g. "25%")`,
});
export const maxErrors = z.string().regex(/^([1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%)$/, {
  error: (i) => `${show(i.input)} is not an error threshold: a count from 0 (e.g. "1") or a percentage from 0% to 100% (e.g. "5%")`,
});

/** ISO-8601 extended timestamp with an explicit offset, as SSM's StartDate/EndDate take it. */
export const isoTimestamp = z.string().refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), {
  error: (i) => `${show(i.input)} is not an ISO-8601 timestamp with offset (e.g. "2027-01-01T00:00:00-06:00")`,
});

/** An EC2 tag key; keys starting with "aws:" are reserved for AWS. */
export const tagKey = z.string().refine((key) => /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key) && !key.toLowerCase().startsWith("aws:"), {
  error: (i) => `${show(i.input)} is not an EC2 tag key: 1-128 letters, digits, spaces and _.:/=+-@, not starting with "aws:"`,
});

export const emailAddress = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: (i) => `${show(i.input)} is not an e-mail address` });

/** CloudWatch Logs accepts only these retention periods. */
export const logRetentionDaysValues = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
export const logRetentionDays = z
  .number()
  .refine((d) => (logRetentionDaysValues as readonly number[]).includes(d), {
    error: (i) => `${show(i.input)} is not a CloudWatch Logs retention period; allowed: ${logRetentionDaysValues.join(", ")}`,
  })
  // the allowed values, for the generated configuration reference (a refinement has no JSON Schema of its own)
  .meta({ enum: [...logRetentionDaysValues] });

export function integerIn(min: number, max: number, what: string) {
  return (
    z
      .number()
      .refine((n) => Number.isInteger(n) && n >= min && n <= max, {
        error: (i) => `${show(i.input)} is not ${what}: a whole number from ${min} to ${max}`,
      })
      // the range, for the generated configuration reference (a refinement has no JSON Schema of its own)
      .meta({ type: "integer", minimum: min, maximum: max })
  );
}

/** A list whose entries must be distinct; `label` names the entries in the message. */
export function uniqueList<T extends z.ZodType<string>>(item: T, label: string) {
  return z.array(item).superRefine((values, ctx) => {
    const seen = new Set<string>();
    values.forEach((v, index) => {
      if (seen.has(v)) ctx.addIssue({ code: "custom", path: [index], input: v, message: `${show(v)} is listed twice in ${label}` });
      seen.add(v);
    });
  });
}
