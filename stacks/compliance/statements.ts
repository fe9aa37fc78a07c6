import type { PolicyStatement } from "../core/iam-policy.js";
import type { Naming } from "../naming.js";

/** Objects below prefixes of the reports bucket. */
export function reportsObjects(sid: string, naming: Naming, prefixes: readonly string[], actions: readonly string[]): PolicyStatement {
  return { sid, actions: [...actions], resources: prefixes.map((p) => `arn:aws:s3:::${naming.reportsBucket}/${p}*`) };
}

/** What the digest and notices functions may send through: channel secrets and e-mail topics. */
export function channelStatements(channels: { readonly secretArnPatterns: readonly string[]; readonly topicArns: readonly string[] }): PolicyStatement[] {
  return [
    ...(channels.secretArnPatterns.length > 0
      ? [{ sid: "ReadWebhookUrls", actions: ["secretsmanager:GetSecretValue"], resources: [...channels.secretArnPatterns] }]
      : []),
    ...(channels.topicArns.length > 0 ? [{ sid: "PublishToEmailChannels", actions: ["sns:Publish"], resources: [...channels.topicArns] }] : []),
  ];
}
