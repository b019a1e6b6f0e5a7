-- AlterTable
ALTER TABLE "FocusGroupMessage" ADD COLUMN "suggestedBy" TEXT;

-- CreateTable
CREATE TABLE "LiveSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "focusGroupId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "autoApprove" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    CONSTRAINT "LiveSession_focusGroupId_fkey" FOREIGN KEY ("focusGroupId") REFERENCES "FocusGroup" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LiveInvite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    CONSTRAINT "LiveInvite_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LiveSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LiveProbe" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "inviteId" TEXT NOT NULL,
    "suggestedBy" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" DATETIME,
    "messageId" TEXT,
    CONSTRAINT "LiveProbe_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LiveSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "LiveSession_focusGroupId_createdAt_idx" ON "LiveSession"("focusGroupId", "createdAt");

-- CreateIndex
CREATE INDEX "LiveInvite_sessionId_idx" ON "LiveInvite"("sessionId");

-- CreateIndex
CREATE INDEX "LiveProbe_sessionId_createdAt_idx" ON "LiveProbe"("sessionId", "createdAt");

