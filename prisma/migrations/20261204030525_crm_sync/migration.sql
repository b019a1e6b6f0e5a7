-- CreateTable
CREATE TABLE "CrmConnection" (
    "provider" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "accountName" TEXT NOT NULL,
    "userEmail" TEXT,
    "loginUrl" TEXT,
    "connectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CrmSync" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "jobId" TEXT,
    "provider" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "accountName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "projectId" TEXT,
    "subject" TEXT NOT NULL,
    "studyKind" TEXT,
    "studyId" TEXT,
    "target" TEXT,
    "total" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CrmSync_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CrmSyncRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "syncId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "crmId" TEXT,
    "message" TEXT,
    "code" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CrmSyncRecord_syncId_fkey" FOREIGN KEY ("syncId") REFERENCES "CrmSync" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CrmLink" (
    "provider" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "crmId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "syncedAt" DATETIME NOT NULL,

    PRIMARY KEY ("provider", "accountId", "key")
);

-- CreateIndex
CREATE UNIQUE INDEX "CrmSync_jobId_key" ON "CrmSync"("jobId");

-- CreateIndex
CREATE INDEX "CrmSync_createdAt_id_idx" ON "CrmSync"("createdAt", "id");

-- CreateIndex
CREATE INDEX "CrmSync_provider_createdAt_idx" ON "CrmSync"("provider", "createdAt");

-- CreateIndex
CREATE INDEX "CrmSync_projectId_createdAt_idx" ON "CrmSync"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "CrmSyncRecord_syncId_outcome_idx" ON "CrmSyncRecord"("syncId", "outcome");

-- CreateIndex
CREATE UNIQUE INDEX "CrmSyncRecord_syncId_key_key" ON "CrmSyncRecord"("syncId", "key");

