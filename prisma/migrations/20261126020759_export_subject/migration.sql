-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Export" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "ids" TEXT NOT NULL DEFAULT '[]',
    "options" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "personaCount" INTEGER,
    "fileName" TEXT NOT NULL,
    "storedName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "partial" BOOLEAN NOT NULL DEFAULT false,
    "cacheKey" TEXT,
    "revision" INTEGER NOT NULL,
    "jobId" TEXT,
    "savedPath" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAccessedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Export_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Export" ("cacheKey", "createdAt", "fileName", "format", "id", "ids", "jobId", "lastAccessedAt", "mimeType", "options", "partial", "projectId", "revision", "savedPath", "scope", "sizeBytes", "storedName", "title") SELECT "cacheKey", "createdAt", "fileName", "format", "id", "ids", "jobId", "lastAccessedAt", "mimeType", "options", "partial", "projectId", "revision", "savedPath", "scope", "sizeBytes", "storedName", "title" FROM "Export";
DROP TABLE "Export";
ALTER TABLE "new_Export" RENAME TO "Export";
CREATE INDEX "Export_cacheKey_idx" ON "Export"("cacheKey");
CREATE INDEX "Export_lastAccessedAt_idx" ON "Export"("lastAccessedAt");
CREATE INDEX "Export_createdAt_id_idx" ON "Export"("createdAt", "id");
CREATE INDEX "Export_projectId_createdAt_id_idx" ON "Export"("projectId", "createdAt", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

