-- CreateTable
CREATE TABLE "Export" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "ids" TEXT NOT NULL DEFAULT '[]',
    "options" TEXT NOT NULL,
    "title" TEXT NOT NULL,
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

-- CreateTable
CREATE TABLE "ContentRevision" (
    "projectId" TEXT NOT NULL PRIMARY KEY,
    "revision" INTEGER NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE INDEX "Export_cacheKey_idx" ON "Export"("cacheKey");

-- CreateIndex
CREATE INDEX "Export_lastAccessedAt_idx" ON "Export"("lastAccessedAt");

-- CreateIndex
CREATE INDEX "Export_createdAt_id_idx" ON "Export"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Export_projectId_createdAt_id_idx" ON "Export"("projectId", "createdAt", "id");

