import type { OrgConfig } from "../../environments/schema/index.js";
import { calendarContent } from "../member/runbooks/regional.js";
import { safetyNets } from "../../environments/schema/safety-nets.js";
import { awsLimits, count } from "./aws.js";
import type { LimitProblem } from "./growth.js";

/**
 * An environment's change calendar holds the organization's freezes and its own: one SSM document,
 * 64 KB at most, measured as the stacks render it.
 */
export function checkChangeCalendars(config: OrgConfig): LimitProblem[] {
  const limit = awsLimits.ssmDocumentBytes;
  return config.environments.flatMap((env) => {
    const nets = safetyNets(config.org, env);
    if (nets.freezes.length === 0) return [];
    const bytes = Buffer.byteLength(calendarContent(env.name, nets), "utf8");
    if (bytes <= limit) return [];
    return [
      {
        path: [env.name, "freezes"],
        message: `with org.freezes the change calendar of ${env.name} would hold ${count(nets.freezes.length)} freezes in ${count(bytes)} bytes, above the ${count(limit)} bytes of an SSM document: remove freezes that are over, or shorten their reasons`,
      },
    ];
  });
}
