import { describe, expect, it } from "vitest";
import { apiModel, assertValidRequest, modelPattern, problemsAgainst, requestProblems, type ApiModel } from "./api-model.js";
import { FakeEvidenceAccount } from "./fake-evidence-account.js";
import { FakeMemberAccount } from "./fake-member-account.js";

const instance = "i-0123456789abcdef0";

describe("requests checked against the SDK's shipped API models", () => {
  it("loads the newest version of each service the fakes answer, by the model file's prefix", () => {
    expect(["ssm", "ec2", "config", "sts", "s3"].map((service) => apiModel(service).metadata.uid)).toEqual([
      "ssm-2014-11-06",
      "ec2-2016-11-15",
      "config-2014-11-12",
      "sts-2011-06-15",
      "s3-2006-03-01",
    ]);
    expect(apiModel("ssm")).toBe(apiModel("ssm"));
    expect(() => apiModel("no-such-service")).toThrow(/no API model for service "no-such-service"/);
  });

  it("accepts a valid DescribeInstancePatches request", () => {
    expect(
      requestProblems("ssm", "DescribeInstancePatches", {
        InstanceId: instance,
        Filters: [{ Key: "State", Values: ["Missing", "Failed"] }],
        MaxResults: 100,
        NextToken: undefined,
      }),
    ).toEqual([]);
  });

  it("names a missing required member", () => {
    expect(requestProblems("ssm", "DescribeInstancePatches", { MaxResults: 50 })).toEqual(["InstanceId: required member is missing"]);
  });

  it("names a member the request does not have", () => {
    expect(requestProblems("ssm", "DescribeInstancePatches", { InstanceId: instance, MaxItems: 50 })).toEqual([
      "MaxItems: not a member of the request (members: InstanceId, Filters, NextToken, MaxResults)",
    ]);
  });

  it("checks a list of structures member by member", () => {
    expect(
      requestProblems("ssm", "DescribeInstancePatches", {
        InstanceId: instance,
        Filters: [
          { Key: "State", Values: ["Missing"] },
          { Key: "State", Values: "Missing" },
          { Name: "State", Values: [7] },
        ],
      }),
    ).toEqual([
      "Filters[1].Values: expected a list, got string",
      "Filters[2].Name: not a member of the request (members: Key, Values)",
      "Filters[2].Values[0]: expected a string, got number",
    ]);
  });

  it("checks integers, booleans, timestamps and blobs", () => {
    expect(requestProblems("ssm", "DescribeInstancePatches", { InstanceId: instance, MaxResults: "50" })).toEqual([
      'MaxResults: expected an integer, got "50"',
    ]);
    expect(requestProblems("ssm", "DescribeInstancePatches", { InstanceId: instance, MaxResults: 10.5 })).toEqual([
      "MaxResults: expected an integer, got 10.5",
    ]);
    expect(requestProblems("ssm", "GetParameter", { Name: "/patchline/x", WithDecryption: "true" })).toEqual([
      "WithDecryption: expected a boolean, got string",
    ]);
    const put = { Bucket: "reports", Key: "runs/1.json", Body: JSON.stringify({}), ContentType: "application/json" };
    expect(requestProblems("s3", "PutObject", { ...put, Body: Buffer.from("{}"), Expires: new Date("2027-01-10T09:00:00Z") })).toEqual([]);
    expect(requestProblems("s3", "PutObject", { ...put, Expires: "2027-01-10T09:00:00Z" })).toEqual([]);
    expect(requestProblems("s3", "PutObject", { ...put, Body: { answer: 42 }, Expires: new Date("not a date") })).toEqual([
      "Body: expected a blob (bytes, a string or a stream), got object",
      "Expires: expected a timestamp (a valid Date or an ISO 8601 date-time), got Invalid Date",
    ]);
    expect(requestProblems("sts", "AssumeRole", { RoleArn: "arn:aws:iam::123456789012:role/reader", RoleSessionName: "run", DurationSeconds: 900 })).toEqual(
      [],
    );
  });

  it("refuses an operation the model does not have", () => {
    expect(() => requestProblems("ssm", "DescribeInstancePatchez", {})).toThrow("ssm-2014-11-06 has no operation DescribeInstancePatchez");
  });

  it("throws naming the operation and every problem", () => {
    expect(() => assertValidRequest("ssm", "DescribeInstancePatches", { Filters: [{ Key: 1 }] })).toThrow(
      "ssm:DescribeInstancePatches request AWS's API model rejects:\n  - InstanceId: required member is missing\n  - Filters[0].Key: expected a string, got number",
    );
    expect(() => assertValidRequest("ssm", "DescribeInstancePatches", { InstanceId: instance })).not.toThrow();
  });
});

/**
 * The constraint traits the shipped `*.min.json` models leave out, checked on a model in the full
 * format (`*.normal.json`, botocore's `service-2.json`): an excerpt of SSM's model, its shapes as
 * the model has them (DescribeInstanceInformation without its Filters member).
 */
const ssmExcerpt: ApiModel = {
  metadata: { uid: "ssm-2014-11-06" },
  operations: {
    DescribeInstancePatches: { input: { shape: "DescribeInstancePatchesRequest" } },
    DescribeInstanceInformation: { input: { shape: "DescribeInstanceInformationRequest" } },
  },
  shapes: {
    DescribeInstancePatchesRequest: {
      type: "structure",
      required: ["InstanceId"],
      members: {
        InstanceId: { shape: "InstanceId" },
        Filters: { shape: "PatchOrchestratorFilterList" },
        NextToken: { shape: "NextToken" },
        MaxResults: { shape: "PatchComplianceMaxResults" },
      },
    },
    DescribeInstanceInformationRequest: {
      type: "structure",
      members: {
        InstanceInformationFilterList: { shape: "InstanceInformationFilterList" },
        MaxResults: { shape: "MaxResultsEC2Compatible" },
        NextToken: { shape: "NextToken" },
      },
    },
    InstanceId: { type: "string", pattern: "(^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$)" },
    NextToken: { type: "string" },
    PatchComplianceMaxResults: { type: "integer", min: 10, max: 100 },
    MaxResultsEC2Compatible: { type: "integer", min: 5, max: 50 },
    PatchOrchestratorFilterList: { type: "list", member: { shape: "PatchOrchestratorFilter" }, min: 0, max: 5 },
    PatchOrchestratorFilter: {
      type: "structure",
      members: { Key: { shape: "PatchOrchestratorFilterKey" }, Values: { shape: "PatchOrchestratorFilterValues" } },
    },
    PatchOrchestratorFilterKey: { type: "string", min: 1, max: 128 },
    PatchOrchestratorFilterValues: { type: "list", member: { shape: "PatchOrchestratorFilterValue" } },
    PatchOrchestratorFilterValue: { type: "string", min: 1, max: 256 },
    InstanceInformationFilterList: { type: "list", member: { shape: "InstanceInformationFilter" }, min: 0 },
    InstanceInformationFilter: {
      type: "structure",
      required: ["key", "valueSet"],
      members: { key: { shape: "InstanceInformationFilterKey" }, valueSet: { shape: "InstanceInformationFilterValueSet" } },
    },
    InstanceInformationFilterKey: {
      type: "string",
      enum: ["InstanceIds", "AgentVersion", "PingStatus", "PlatformTypes", "ActivationIds", "IamRole", "ResourceType", "AssociationStatus"],
    },
    InstanceInformationFilterValueSet: { type: "list", member: { shape: "InstanceInformationFilterValue" }, min: 1, max: 100 },
    InstanceInformationFilterValue: { type: "string", min: 1 },
  },
};

describe("constraint traits of a full model", () => {
  const patches = (input: object) => problemsAgainst(ssmExcerpt, "DescribeInstancePatches", { InstanceId: instance, ...input });

  it("accepts a valid request", () => {
    expect(patches({ Filters: [{ Key: "State", Values: ["Missing"] }], MaxResults: 10 })).toEqual([]);
  });

  it("checks an id against its pattern", () => {
    expect(patches({ InstanceId: "i-0aaa" })).toEqual(['InstanceId: "i-0aaa" does not match the pattern (^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$)']);
    expect(patches({ InstanceId: "mi-0123456789abcdef0" })).toEqual([]);
  });

  it("checks integer ranges", () => {
    expect(patches({ MaxResults: 5 })).toEqual(["MaxResults: 5 is below the minimum 10"]);
    expect(patches({ MaxResults: 101 })).toEqual(["MaxResults: 101 is above the maximum 100"]);
  });

  it("checks list lengths and, in nested structures, string lengths", () => {
    const filter = { Key: "State", Values: ["Missing"] };
    expect(patches({ Filters: Array.from({ length: 6 }, () => filter) })).toEqual(["Filters: 6 items, at most 5 allowed"]);
    expect(patches({ Filters: [filter, { Key: "", Values: ["x".repeat(257)] }] })).toEqual([
      "Filters[1].Key: 0 characters, at least 1 allowed",
      "Filters[1].Values[0]: 257 characters, at most 256 allowed",
    ]);
    // characters, not UTF-16 units: 256 emoji are 512 units
    expect(patches({ Filters: [{ Key: "State", Values: ["😀".repeat(256)] }] })).toEqual([]);
  });

  it("checks enums, inside a list of structures", () => {
    const information = (filters: object[]) =>
      problemsAgainst(ssmExcerpt, "DescribeInstanceInformation", { InstanceInformationFilterList: filters, MaxResults: 50 });
    expect(information([{ key: "PingStatus", valueSet: ["Online"] }])).toEqual([]);
    expect(
      information([
        { key: "PingStatus", valueSet: ["Online"] },
        { key: "tag:Patch Group", valueSet: [] },
      ]),
    ).toEqual([
      'InstanceInformationFilterList[1].key: "tag:Patch Group" is not one of InstanceIds, AgentVersion, PingStatus, PlatformTypes, ActivationIds, IamRole, ResourceType, AssociationStatus',
      "InstanceInformationFilterList[1].valueSet: 0 items, at least 1 allowed",
    ]);
  });
});

describe("the model's patterns as JS regular expressions", () => {
  it("reads Unicode classes and surrogate-pair ranges in unicode mode", () => {
    const text = modelPattern("^[\\u0009\\u000A\\u000D\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF]*$")!;
    expect(text.test("über 😀")).toBe(true);
    expect(text.test("bell \u0007")).toBe(false);
    expect(modelPattern("^\\p{L}+$")!.test("Größe")).toBe(true);
  });

  it("compiles Java escapes unicode mode refuses, anchors and a leading (?i)", () => {
    expect(modelPattern("^[0-9a-f]{8}\\-[0-9a-f]{4}$")!.test("0123abcd-ef01")).toBe(true);
    expect(modelPattern("\\Ai-\\w+\\z")!.test("x i-1")).toBe(false);
    const account = modelPattern("(?i)all|[0-9]{12}")!;
    expect([account.test("ALL"), account.test("none")]).toEqual([true, false]);
  });

  it("matches anywhere unless the pattern anchors itself", () => {
    expect(modelPattern("[a-z]+")!.test("123abc")).toBe(true);
  });

  it("leaves a pattern JS cannot compile unchecked", () => {
    expect(modelPattern("a++b")).toBeUndefined();
    const model: ApiModel = {
      metadata: {},
      operations: { Op: { input: { type: "structure", members: { Name: { type: "string", pattern: "a++b" } } } } },
      shapes: {},
    };
    expect(problemsAgainst(model, "Op", { Name: "anything" })).toEqual([]);
  });
});

describe("the fakes check every request against the model", () => {
  it("rejects what the model rejects before answering", () => {
    const member = new FakeMemberAccount([]);
    expect(() => member.describeTags({ Filters: [{ Name: "resource-id", Values: "i-0123456789abcdef0" as never }] })).toThrow(
      "ec2:DescribeTags request AWS's API model rejects:\n  - Filters[0].Values: expected a list, got string",
    );
    expect(() => member.getComplianceDetailsByConfigRule({ ComplianceTypes: ["NON_COMPLIANT"] }, new Map())).toThrow(
      "ConfigRuleName: required member is missing",
    );
    const evidence = new FakeEvidenceAccount([]);
    expect(() => evidence.describeMaintenanceWindows({ Filters: [{ Key: "Name", Values: ["weekly"], Value: "weekly" } as never] })).toThrow(
      "Filters[0].Value: not a member of the request (members: Key, Values)",
    );
  });
});
