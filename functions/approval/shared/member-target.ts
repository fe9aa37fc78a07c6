import * as z from "zod/mini";

/** The instance a member-account call is about, as the state machine passes it (validated before any role is assumed). */
export const memberTarget = {
  account: z.string().check(z.regex(/^\d{12}$/)),
  region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/)),
  instanceId: z.string().check(z.regex(/^i-[0-9a-f]{8,17}$/)),
};
