-- CreateTable
CREATE TABLE "LiveRelaySession" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "publicKey" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "LiveRelaySession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveRelayRevocation" (
    "inviteId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LiveRelayRevocation_pkey" PRIMARY KEY ("sessionId","inviteId")
);

-- CreateIndex
CREATE INDEX "LiveRelaySession_accountId_idx" ON "LiveRelaySession"("accountId");

-- CreateIndex
CREATE INDEX "LiveRelaySession_expiresAt_idx" ON "LiveRelaySession"("expiresAt");

-- AddForeignKey
ALTER TABLE "LiveRelaySession" ADD CONSTRAINT "LiveRelaySession_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveRelayRevocation" ADD CONSTRAINT "LiveRelayRevocation_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LiveRelaySession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

