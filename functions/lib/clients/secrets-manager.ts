import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** The function's one SecretsManagerClient, created at cold start; handlers pass it to the logic, tests pass fakes. */
export const secretsManager = new SecretsManagerClient({ maxAttempts: 5 });
