import { z } from "zod";
import { roleArn } from "./key-roles.js";
import { show } from "./messages.js";
import { isKnownRegion, timeZone, uniqueList } from "./primitives.js";

/**
 * A QuickSight user or group: `arn:aws:quicksight:<identity region>:<account>:user|group/<namespace>/<name>`.
 * The region is the QuickSight identity region (where users live), which may differ from the
 * central region. A user's name may hold a `/` (an IAM-federated user is `<role>/<session>`); a
 * group's name may not.
 */
export const quickSightPrincipalPattern =
  /^arn:aws:quicksight:([a-z0-9-]+):(\d{12}):(?:user\/[A-Za-z0-9._-]{1,64}\/[^\s/][^\s]*|group\/[A-Za-z0-9._-]{1,64}\/[\w+=,.@-]{1,128})$/;

const principal = z.string().refine((arn) => quickSightPrincipalPattern.test(arn) && isKnownRegion(quickSightPrincipalPattern.exec(arn)![1]!), {
  error: (i) =>
    `${show(i.input)} is not a QuickSight user or group ARN (arn:aws:quicksight:<region>:<12-digit account id>:user/<namespace>/<name> or …:group/<namespace>/<name>)`,
});

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: (i) => `${show(i.input)} is not a time of day (HH:MM, 24-hour, e.g. "09:30")` });

export const quickSightImportModes = ["DIRECT_QUERY", "SPICE"] as const;

/**
 * The QuickSight dashboard over the compliance history and missing patches (needs a QuickSight
 * Enterprise subscription in the central account, see docs/dashboard.md).
 */
export const quickSightSchema = z.strictObject({
  /**
   * QuickSight users or groups that own the data source, the data sets, the analysis and the
   * dashboard (the platform team): they can edit, share and refresh. Changes made in the console
   * are replaced on the next deploy. @default []
   */
  authors: uniqueList(principal, "authors").default([]),
  /** QuickSight users or groups that may view the dashboard, and nothing else. @default [] */
  viewers: uniqueList(principal, "viewers").default([]),
  /**
   * The IAM role QuickSight reaches Athena and S3 with (QuickSight's own; patchline attaches a
   * policy to it and admits it to the central key). @default - arn:aws:iam::<central account>:role/service-role/aws-quicksight-service-role-v0
   */
  serviceRoleArn: roleArn.optional(),
  /**
   * `DIRECT_QUERY`: every view queries Athena (always current, billed per query). `SPICE`: the
   * data sets are imported into SPICE once a day at `refresh` (billed as SPICE capacity). @default "DIRECT_QUERY"
   */
  importMode: z.enum(quickSightImportModes).default("DIRECT_QUERY"),
  /** With `importMode: "SPICE"` only: when the data sets are refreshed each day; after the compliance run has finished. */
  refresh: z
    .strictObject({
      /** Time of day, `HH:MM` (24-hour). */
      timeOfDay,
      /** IANA time zone of `timeOfDay`. @default "UTC" */
      timeZone: timeZone.default("UTC"),
    })
    .optional(),
});

export type QuickSightSettings = z.output<typeof quickSightSchema>;

/** The role QuickSight uses when `serviceRoleArn` is left out: the one its console creates. */
export const defaultQuickSightServiceRole = (accountId: string): string => `arn:aws:iam::${accountId}:role/service-role/aws-quicksight-service-role-v0`;
