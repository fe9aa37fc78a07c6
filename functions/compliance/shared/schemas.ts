import * as z from "zod/mini";

/** Shapes the state machine hands the functions, checked at the handler before anything runs. */
export const targetSchema = z.object({
  accountId: z.string().check(z.regex(/^\d{12}$/)),
  accountName: z.string(),
  environment: z.string(),
  region: z.string(),
  source: z.string(),
});

export const countsSchema = z.object({
  managed: z.number(),
  compliant: z.number(),
  nonCompliant: z.number(),
  pendingReboot: z.number(),
  failed: z.number(),
  notCovered: z.number(),
  // a collector of the release before the patch SLA counted none
  slaBreaches: z._default(z.number(), 0),
});

/** One entry of the Map's output: the collector's output, or the Catch's record of a target given up on. */
export const mapResultSchema = z.union([
  z.object({ status: z.enum(["ok", "unreachable"]), resultKey: z.string(), counts: countsSchema, evidenceKey: z.optional(z.string()) }),
  z.object({ status: z.literal("unreachable"), target: targetSchema, error: z.string() }),
]);
export type MapResult = z.output<typeof mapResultSchema>;
