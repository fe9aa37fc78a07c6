import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { surfaceTransient } from "../../shared/errors.js";
import { snsSubject } from "../../shared/sns-subject.js";

export interface TopicMessage {
  readonly topicArn: string;
  readonly subject: string;
  readonly text: string;
  /** Subscribers filter on it (`{"environment": ["prod"]}`). */
  readonly environment: string;
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
