-- CreateTable
CREATE TABLE "PersonaRefusal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "slotIndex" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "dimension" TEXT,
    "detail" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PersonaRefusal_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PersonaRefusal_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Persona" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "runId" TEXT,
    "slotIndex" INTEGER,
    "demographics" TEXT NOT NULL DEFAULT '{}',
    "name" TEXT NOT NULL,
    "age" INTEGER NOT NULL,
    "gender" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "education" TEXT NOT NULL,
    "income" TEXT NOT NULL,
    "occupation" TEXT NOT NULL,
    "bigFive" TEXT NOT NULL,
    "values" TEXT NOT NULL DEFAULT '[]',
    "interests" TEXT NOT NULL DEFAULT '[]',
    "backgroundStory" TEXT NOT NULL,
    "communicationStyle" TEXT NOT NULL,
    "decisionMakingStyle" TEXT NOT NULL,
    "concerns" TEXT NOT NULL DEFAULT '[]',
    "locale" TEXT NOT NULL,
    "model" TEXT NOT NULL DEFAULT '',
    "searchText" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "slotEvidence" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "Persona_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Persona" ("age", "backgroundStory", "bigFive", "communicationStyle", "concerns", "createdAt", "decisionMakingStyle", "demographics", "education", "gender", "id", "income", "interests", "locale", "location", "model", "name", "occupation", "projectId", "runId", "searchText", "slotIndex", "updatedAt", "values") SELECT "age", "backgroundStory", "bigFive", "communicationStyle", "concerns", "createdAt", "decisionMakingStyle", "demographics", "education", "gender", "id", "income", "interests", "locale", "location", "model", "name", "occupation", "projectId", "runId", "searchText", "slotIndex", "updatedAt", "values" FROM "Persona";
DROP TABLE "Persona";
ALTER TABLE "new_Persona" RENAME TO "Persona";
CREATE INDEX "Persona_projectId_createdAt_id_idx" ON "Persona"("projectId", "createdAt", "id");
CREATE UNIQUE INDEX "Persona_runId_slotIndex_key" ON "Persona"("runId", "slotIndex");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PersonaRefusal_projectId_reason_idx" ON "PersonaRefusal"("projectId", "reason");

-- CreateIndex
CREATE INDEX "PersonaRefusal_jobId_idx" ON "PersonaRefusal"("jobId");

