import type { S3Client } from "@aws-sdk/client-s3";
import { InvalidFleetCatalog, parseFleetCatalog, type FleetCatalog } from "../../contracts/fleet-catalog.js";
import { readObjectText } from "./clients/s3.js";

/** Reads the catalog Terraform wrote. */
export async function loadFleetCatalog(s3: S3Client, bucket: string, key: string): Promise<FleetCatalog> {
  const text = await readObjectText(s3, bucket, key);
  if (!text) throw new InvalidFleetCatalog(`s3://${bucket}/${key} is empty`);
  return parseFleetCatalog(JSON.parse(text));
}

/**
 * Loads the catalog at most once per `ttlMs` per container: a warm function picks up a redeployed
 * catalog within that time without reading it on every invocation.
 */
export function catalogLoader(s3: S3Client, bucket: string, key: string, ttlMs = 60_000, now: () => number = Date.now): () => Promise<FleetCatalog> {
  let cached: { at: number; catalog: Promise<FleetCatalog> } | undefined;
  return () => {
    if (!cached || now() - cached.at > ttlMs) {
      const catalog = loadFleetCatalog(s3, bucket, key);
      cached = { at: now(), catalog };
      // a failed read is not cached
      catalog.catch(() => (cached = undefined));
    }
    return cached.catalog;
  };
}
