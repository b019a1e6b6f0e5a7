-- CreateTable
CREATE TABLE "Persona" (
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
    CONSTRAINT "Persona_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Persona_projectId_createdAt_id_idx" ON "Persona"("projectId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Persona_runId_slotIndex_key" ON "Persona"("runId", "slotIndex");

