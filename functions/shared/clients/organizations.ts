import { OrganizationsClient } from "@aws-sdk/client-organizations";

/** Created once per Lambda container (module scope); region and credentials from the Lambda environment. */
export const organizationsClient = new OrganizationsClient({});
