import { exampleOrgInput } from "../environments/index.js";
import type { EnvironmentInput, OrgConfigInput } from "../environments/schema/index.js";

/**
 * The example organization scaled to `accountsPerEnvironment` accounts in each of dev, preprod and
 * prod, every account in two regions, with the example's patch groups, windows and baselines.
 */
export function generateOrg(accountsPerEnvironment: number): OrgConfigInput {
  const environments: Record<string, EnvironmentInput> = {};
  Object.entries(exampleOrgInput.environments).forEach(([name, env], envIndex) => {
    environments[name] = {
      ...env,
      regions: ["us-east-1", "eu-west-1"],
      accounts: Array.from({ length: accountsPerEnvironment }, (_, i) => ({
        name: `${name}-app${String(i + 1).padStart(3, "0")}`,
        id: String(500000000000 + envIndex * 10_000 + i + 1),
      })),
    };
  });
  return { org: exampleOrgInput.org, environments };
}
