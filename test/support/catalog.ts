import { parseFleetCatalog, type FleetCatalog } from "../../contracts/fleet-catalog.js";
import { fleetCatalog } from "../../stacks/compliance/fleet-catalog.js";
import { exampleConfig, exampleNaming } from "./construct-synth.js";

/** The catalog Terraform writes for the example organization, read back as the functions read it. */
export const exampleCatalog: FleetCatalog = parseFleetCatalog(JSON.parse(JSON.stringify(fleetCatalog(exampleConfig, exampleNaming))));
