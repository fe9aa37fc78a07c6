import { PutObjectCommand } from "@aws-sdk/client-s3";
import * as z from "zod/mini";
import { catalogLoader } from "../../shared/catalog-loader.js";
import { readObjectText, s3Client } from "../../shared/clients/s3.js";
import { requiredEnv } from "../../shared/env.js";
import { surfaceTransient } from "../../shared/errors.js";
import { parseInput } from "../../shared/input.js";
import { logger } from "../../shared/logger.js";
import { startInput, startRun, type RunDeps } from "./start.js";
import { summarizeInput, summarizeWave } from "./summarize.js";

const bucket = requiredEnv("EMERGENCY_BUCKET");
const deps: RunDeps = {
  catalog: catalogLoader(s3Client, requiredEnv("REPORTS_BUCKET"), requiredEnv("CATALOG_KEY")),
  bucket,
  bucketRegion: requiredEnv("EMERGENCY_BUCKET_REGION"),
  put: async (key, body, contentType) => {
    try {
      await s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    } catch (error) {
      surfaceTransient(error, `s3:PutObject ${key}`);
    }
  },
  read: (from, key) => readObjectText(s3Client, from, key),
  log: logger,
};

const runInput = z.discriminatedUnion("action", [startInput, summarizeInput]);

/** An emergency run's own steps: check the plan and write its files; sum each wave and decide whether the run goes on. */
export const handler = async (event: unknown) => {
  const input = parseInput(runInput, event);
  switch (input.action) {
    case "start":
      return startRun(input, deps);
    case "summarizeWave":
      return summarizeWave(input, deps);
  }
};
