import { OrganizationsClient } from "@aws-sdk/client-organizations";

/** The function's one OrganizationsClient, created at cold start; handlers pass it to the logic, tests pass fakes. */
export const organizations = new OrganizationsClient({ maxAttempts: 5 });
