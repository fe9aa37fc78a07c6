import { dev } from "./dev.js";
import { org } from "./org.js";
import { preprod } from "./preprod.js";
import { prod } from "./prod.js";
import { readPromotionRecords, type OrgConfigInput } from "./schema/index.js";

/**
 * Your organization: what `cdktf synth` (main.ts) renders and the tools read. It starts as the
 * example organization; replace these files with your own (`npm run new-org` writes a skeleton).
 * `promotions/` holds the promotion records `npm run promote` writes (docs/promotion.md).
 */
export const organization: OrgConfigInput = {
  org,
  environments: { dev, preprod, prod },
  promotions: readPromotionRecords(new URL("./promotions/", import.meta.url)),
};
