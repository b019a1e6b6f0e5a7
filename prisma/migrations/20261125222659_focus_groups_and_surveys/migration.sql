-- CreateTable
CREATE TABLE "FocusGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "participantIds" TEXT NOT NULL,
    "guide" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "jobId" TEXT,
    "analysisJobId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FocusGroup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FocusGroupMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "focusGroupId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "unitKey" TEXT NOT NULL,
    "questionIndex" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "phase" TEXT NOT NULL,
    "speakerType" TEXT NOT NULL,
    "personaId" TEXT,
    "speakerName" TEXT NOT NULL,
    "replyToId" TEXT,
    "text" TEXT NOT NULL,
    "sentiment" REAL,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "FocusGroupMessage_focusGroupId_fkey" FOREIGN KEY ("focusGroupId") REFERENCES "FocusGroup" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Insight" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "focusGroupId" TEXT NOT NULL,
    "analysisId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "text" TEXT NOT NULL,
    "evidence" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Insight_focusGroupId_fkey" FOREIGN KEY ("focusGroupId") REFERENCES "FocusGroup" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Survey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "questions" TEXT NOT NULL,
    "personaIds" TEXT NOT NULL DEFAULT '[]',
    "jobId" TEXT,
    "openThemes" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Survey_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SurveyResponse" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surveyId" TEXT NOT NULL,
    "personaId" TEXT NOT NULL,
    "answers" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SurveyResponse_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "FocusGroup_projectId_id_idx" ON "FocusGroup"("projectId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "FocusGroupMessage_focusGroupId_unitKey_key" ON "FocusGroupMessage"("focusGroupId", "unitKey");

-- CreateIndex
CREATE UNIQUE INDEX "FocusGroupMessage_focusGroupId_seq_key" ON "FocusGroupMessage"("focusGroupId", "seq");

-- CreateIndex
CREATE INDEX "Insight_focusGroupId_analysisId_seq_idx" ON "Insight"("focusGroupId", "analysisId", "seq");

-- CreateIndex
CREATE INDEX "Survey_projectId_id_idx" ON "Survey"("projectId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_surveyId_personaId_key" ON "SurveyResponse"("surveyId", "personaId");

