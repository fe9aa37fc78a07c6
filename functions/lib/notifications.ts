import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { surfaceTransient } from "./errors.js";

export interface TopicMessage {
  readonly topicArn: string;
  readonly subject: string;
  readonly text: string;
  /** Subscribers filter on it (`{"environment": ["prod"]}`). */
  readonly environment: string;
}

/** SNS subjects are printable ASCII without line breaks, at most 100 characters. */
export function snsSubject(subject: string): string {
  const ascii = subject.replace(/[^\x20-\x7e]/g, "?").trim();
  return ascii.length > 100 ? `${ascii.slice(0, 99)}…`.replace(/[^\x20-\x7e]/g, ".") : ascii;
}

/** Publishes to a topic with the environment as a message attribute, for the subscriptions' filter policies. */
export async function publish(sns: SNSClient, message: TopicMessage): Promise<string | undefined> {
  try {
    const result = await sns.send(
      new PublishCommand({
        TopicArn: message.topicArn,
        Subject: snsSubject(message.subject),
        Message: message.text,
        MessageAttributes: { environment: { DataType: "String", StringValue: message.environment } },
      }),
    );
    return result.MessageId;
  } catch (error) {
    surfaceTransient(error, `sns Publish ${message.topicArn}`);
  }
}
