import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** Created once per Lambda container (module scope); region and credentials from the Lambda environment. */
export const secretsManagerClient = new SecretsManagerClient({});
