import { dev } from "./dev.js";
import { org } from "./org.js";
import { preprod } from "./preprod.js";
import { prod } from "./prod.js";
import type { OrgConfigInput } from "./schema/index.js";

/**
 * Your organization: what `cdktf synth` (main.ts) renders and the tools read. It starts as the
 * example organization; replace these files with your own (`npm run new-org` writes a skeleton).
 */
export const organization: OrgConfigInput = { org, environments: { dev, preprod, prod } };
