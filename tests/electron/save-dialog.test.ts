import path from "node:path";
import { describe, expect, it } from "vitest";
import { chosenPath, exportSaveDialogOptions } from "../../src/main/electron/save-dialog";

describe("export save dialog", () => {
  it("suggests the export's name in Downloads, filtered to its format, never a path from the name", () => {
    const options = exportSaveDialogOptions("../../evil/Sight - Report.pdf", "pdf", "/home/ala/Downloads");
    expect(options.defaultPath).toBe(path.join("/home/ala/Downloads", "Sight - Report.pdf"));
    expect(options.filters?.[0]).toEqual({ name: "PDF report", extensions: ["pdf"] });
    expect(options.properties).toContain("showOverwriteConfirmation");
    expect(exportSaveDialogOptions("a.csv", "csv", "/d").filters?.[0]?.extensions).toEqual(["csv"]);
  });

  it("reads a cancelled dialog as null and accepts only absolute paths", () => {
    expect(chosenPath({ canceled: true, filePath: "/tmp/x.pdf" })).toBeNull();
    expect(chosenPath({ canceled: false, filePath: "" })).toBeNull();
    expect(chosenPath({ canceled: false, filePath: "relative.pdf" })).toBeNull();
    expect(chosenPath({ canceled: false, filePath: "/tmp/x.pdf" })).toBe("/tmp/x.pdf");
  });
});
