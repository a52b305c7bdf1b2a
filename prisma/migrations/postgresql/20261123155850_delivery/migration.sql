-- AlterTable
ALTER TABLE "Installation" ADD COLUMN     "groupBy" TEXT,
ADD COLUMN     "groupIntervalSeconds" INTEGER,
ADD COLUMN     "groupWaitSeconds" INTEGER,
ADD COLUMN     "repeatIntervalSeconds" INTEGER;

-- AlterTable
ALTER TABLE "Channel" ADD COLUMN     "brokenAt" TIMESTAMP(3),
ADD COLUMN     "brokenReason" TEXT,
ADD COLUMN     "groupBy" TEXT,
ADD COLUMN     "groupIntervalSeconds" INTEGER,
ADD COLUMN     "groupWaitSeconds" INTEGER,
ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "nextSendAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "repeatIntervalSeconds" INTEGER;

-- AlterTable
ALTER TABLE "IngestToken" ADD COLUMN     "silenceWriteBack" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "AlertGroup" (
    "id" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "channelRowId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "openKey" TEXT,
    "groupLabels" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'firing',
    "firstAlertAt" TIMESTAMP(3) NOT NULL,
    "lastEvaluatedAt" TIMESTAMP(3),
    "nextEvaluationAt" TIMESTAMP(3),
    "notifiedFiring" TEXT NOT NULL DEFAULT '[]',
    "notifiedResolved" TEXT NOT NULL DEFAULT '[]',
    "notifiedAt" TIMESTAMP(3),
    "messageTs" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "sentVersion" INTEGER NOT NULL DEFAULT 0,
    "externalUrl" TEXT,
    "tokenId" TEXT,
    "acknowledgedBy" TEXT,
    "acknowledgedAt" TIMESTAMP(3),
    "silencedBy" TEXT,
    "silencedUntil" TIMESTAMP(3),
    "resolvedBy" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupAlert" (
    "groupId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "alert" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GroupAlert_pkey" PRIMARY KEY ("groupId","fingerprint")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" SERIAL NOT NULL,
    "installationId" TEXT NOT NULL,
    "channelRowId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "groupId" TEXT,
    "payload" TEXT,
    "alertReceivedAt" TIMESTAMP(3),
    "compact" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadAt" TIMESTAMP(3),
    "deadReason" TEXT,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AlertGroup_nextEvaluationAt_idx" ON "AlertGroup"("nextEvaluationAt");

-- CreateIndex
CREATE UNIQUE INDEX "AlertGroup_channelRowId_openKey_key" ON "AlertGroup"("channelRowId", "openKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_channelRowId_deadAt_id_idx" ON "OutboxMessage"("channelRowId", "deadAt", "id");

-- CreateIndex
CREATE INDEX "OutboxMessage_groupId_idx" ON "OutboxMessage"("groupId");

-- CreateIndex
CREATE INDEX "Channel_nextSendAt_idx" ON "Channel"("nextSendAt");

-- AddForeignKey
ALTER TABLE "AlertGroup" ADD CONSTRAINT "AlertGroup_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertGroup" ADD CONSTRAINT "AlertGroup_channelRowId_fkey" FOREIGN KEY ("channelRowId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupAlert" ADD CONSTRAINT "GroupAlert_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "AlertGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_channelRowId_fkey" FOREIGN KEY ("channelRowId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

