import type { OrgConfigInput, Problem } from "./input.js";
import { show } from "./messages.js";

type Report = (path: Problem["path"], message: string) => void;

/**
 * Cross-field checks of the channels and compliance settings: every channel a setting names is
 * defined, e-mail channels have subscribers (and only they), organizational units name a configured
 * environment.
 */
export function checkCompliance(config: OrgConfigInput, report: Report): void {
  const channels = config.org?.channels ?? {};
  const defined = Object.keys(channels);
  const describe = defined.length > 0 ? defined.join(", ") : "none";

  for (const [name, channel] of Object.entries(channels)) {
    if (!channel) continue;
    const subscribers = channel.subscribers;
    if (channel.type === "email" && (subscribers === undefined || subscribers.length === 0)) {
      report(["org", "channels", name, "subscribers"], `e-mail channel ${show(name)} has no subscribers; list at least one address`);
    }
    if (channel.type !== "email" && subscribers !== undefined) {
      report(
        ["org", "channels", name, "subscribers"],
        `only e-mail channels have subscribers; ${show(name)} is a ${channel.type} channel (its webhook URL goes into its secret)`,
      );
    }
  }

  const checkReferences = (path: (string | number)[], names: readonly string[] | undefined) => {
    (names ?? []).forEach((name, i) => {
      if (typeof name === "string" && !(name in channels)) report([...path, i], `${show(name)} is not a channel in org.channels (defined: ${describe})`);
    });
  };
  const compliance = config.org?.compliance;
  checkReferences(["org", "compliance", "digestChannels"], compliance?.digestChannels);
  checkReferences(["org", "compliance", "failureChannels"], compliance?.failureChannels);
  for (const [envName, env] of Object.entries(config.environments ?? {})) {
    checkReferences([envName, "compliance", "noticeChannels"], env?.compliance?.noticeChannels);
  }

  const environments = Object.keys(config.environments ?? {});
  (compliance?.organizationalUnits ?? []).forEach((unit, i) => {
    if (typeof unit?.environment === "string" && !environments.includes(unit.environment)) {
      report(
        ["org", "compliance", "organizationalUnits", i, "environment"],
        `${show(unit.environment)} is not a configured environment (configured: ${environments.join(", ")})`,
      );
    }
  });
}
