import { describe, expect, it } from "vitest";
import { excerpt, toApiShape, type QuickSightModel } from "./convert.js";

const model: QuickSightModel = {
  shapes: {
    Definition: { type: "structure", members: { Sheets: { shape: "SheetList" }, DataSetIdentifierDeclarations: { shape: "Ids" } }, required: ["Sheets"] },
    SheetList: { type: "list", member: { shape: "Sheet" }, max: 20 },
    Sheet: {
      type: "structure",
      members: { SheetId: { shape: "Id" }, Format: { shape: "NumberFormatConfiguration" }, Unused: { shape: "Unused" } },
      required: ["SheetId"],
    },
    NumberFormatConfiguration: { type: "structure", members: { FormatConfiguration: { shape: "Kind" } } },
    Kind: { type: "string", enum: ["A", "B"] },
    Id: { type: "string", pattern: "[\\w\\-]+", documentation: "dropped" } as QuickSightModel["shapes"][string],
    Ids: { type: "list", member: { shape: "Id" } },
    Unused: { type: "string" },
  },
};

describe("QuickSight's API model against Terraform blocks", () => {
  it("names members as the API does, unwraps blocks given once, lists repeated blocks, keeps unknown keys", () => {
    const value = {
      sheets: [{ sheet_id: "one", format: [{ numeric_format_configuration: "A" }], colour: "red" }, { sheet_id: "two" }],
      data_set_identifiers_declarations: "ds",
    };
    expect(toApiShape(model, "Definition", value)).toEqual({
      Sheets: [{ SheetId: "one", Format: { FormatConfiguration: "A" }, colour: "red" }, { SheetId: "two" }],
      DataSetIdentifierDeclarations: ["ds"],
    });
  });

  it("keeps of the model what a value reaches, and the shapes of required members", () => {
    const reached = new Set<string>();
    toApiShape(model, "Definition", { data_set_identifiers_declarations: ["ds"] }, (shape) => reached.add(shape));
    expect([...reached].sort()).toEqual(["Definition", "Id", "Ids"]);
    const part = excerpt(model, reached);
    expect(Object.keys(part.shapes)).toEqual(["Definition", "Id", "Ids", "SheetList"]);
    expect(part.shapes.Id).toEqual({ type: "string", pattern: "[\\w\\-]+" });
  });

  it("fails naming a shape the model lacks", () => {
    expect(() => toApiShape(excerpt(model, ["Definition"]), "Definition", { data_set_identifiers_declarations: ["ds"] })).toThrow(
      "the QuickSight model has no shape Ids",
    );
  });
});
