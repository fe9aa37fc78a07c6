import type { GetObjectCommandOutput } from "@aws-sdk/client-s3";

/** A GetObject body as the code reads it (transformToString), for aws-sdk-client-mock answers. */
export function s3Body(text: string): GetObjectCommandOutput["Body"] {
  return { transformToString: async () => text } as unknown as GetObjectCommandOutput["Body"];
}
