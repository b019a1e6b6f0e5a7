import type { ExportFormat } from "../../../shared/contract";
import { produceCsv } from "./csv";
import { produceJson } from "./json";
import { producePdf } from "./pdf";
import type { Producer } from "./types";

export const PRODUCERS: Record<ExportFormat, Producer> = { pdf: producePdf, csv: produceCsv, json: produceJson };
