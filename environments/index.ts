import { dev } from "./dev.js";
import { org } from "./org.js";
import { preprod } from "./preprod.js";
import { prod } from "./prod.js";
import type { OrgConfigInput } from "./schema/index.js";

/** The example organization, as written in this folder (not yet validated). */
export const exampleOrgInput: OrgConfigInput = { org, environments: { dev, preprod, prod } };

