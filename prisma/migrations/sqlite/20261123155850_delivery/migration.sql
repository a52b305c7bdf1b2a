-- AlterTable
ALTER TABLE "Installation" ADD COLUMN "groupBy" TEXT;
ALTER TABLE "Installation" ADD COLUMN "groupIntervalSeconds" INTEGER;
ALTER TABLE "Installation" ADD COLUMN "groupWaitSeconds" INTEGER;
ALTER TABLE "Installation" ADD COLUMN "repeatIntervalSeconds" INTEGER;

-- CreateTable
CREATE TABLE "AlertGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "installationId" TEXT NOT NULL,
    "channelRowId" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "openKey" TEXT,
    "groupLabels" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'firing',
    "firstAlertAt" DATETIME NOT NULL,
    "lastEvaluatedAt" DATETIME,
    "nextEvaluationAt" DATETIME,
    "notifiedFiring" TEXT NOT NULL DEFAULT '[]',
    "notifiedResolved" TEXT NOT NULL DEFAULT '[]',
    "notifiedAt" DATETIME,
    "messageTs" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "sentVersion" INTEGER NOT NULL DEFAULT 0,
    "externalUrl" TEXT,
    "tokenId" TEXT,
    "acknowledgedBy" TEXT,
    "acknowledgedAt" DATETIME,
    "silencedBy" TEXT,
    "silencedUntil" DATETIME,
    "resolvedBy" TEXT,
    "resolvedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AlertGroup_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AlertGroup_channelRowId_fkey" FOREIGN KEY ("channelRowId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GroupAlert" (
    "groupId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "alert" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("groupId", "fingerprint"),
    CONSTRAINT "GroupAlert_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "AlertGroup" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "installationId" TEXT NOT NULL,
    "channelRowId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "groupId" TEXT,
    "payload" TEXT,
    "alertReceivedAt" DATETIME,
    "compact" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadAt" DATETIME,
    "deadReason" TEXT,
    CONSTRAINT "OutboxMessage_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OutboxMessage_channelRowId_fkey" FOREIGN KEY ("channelRowId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Channel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "installationId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "addedBy" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "filters" TEXT NOT NULL DEFAULT '',
    "mutedUntil" DATETIME,
    "lastDeliveryAt" DATETIME,
    "lastError" TEXT,
    "brokenAt" DATETIME,
    "brokenReason" TEXT,
    "groupBy" TEXT,
    "groupWaitSeconds" INTEGER,
    "groupIntervalSeconds" INTEGER,
    "repeatIntervalSeconds" INTEGER,
    "nextSendAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Channel_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Channel" ("addedBy", "channelId", "createdAt", "filters", "id", "installationId", "lastDeliveryAt", "lastError", "mutedUntil", "name", "slot", "updatedAt") SELECT "addedBy", "channelId", "createdAt", "filters", "id", "installationId", "lastDeliveryAt", "lastError", "mutedUntil", "name", "slot", "updatedAt" FROM "Channel";
DROP TABLE "Channel";
ALTER TABLE "new_Channel" RENAME TO "Channel";
CREATE INDEX "Channel_nextSendAt_idx" ON "Channel"("nextSendAt");
CREATE UNIQUE INDEX "Channel_installationId_channelId_key" ON "Channel"("installationId", "channelId");
CREATE UNIQUE INDEX "Channel_installationId_slot_key" ON "Channel"("installationId", "slot");
CREATE TABLE "new_IngestToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "installationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "signingSecret" TEXT,
    "allowedNetworks" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "silenceWriteBack" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "IngestToken_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_IngestToken" ("allowedNetworks", "createdAt", "createdBy", "id", "installationId", "lastUsedAt", "name", "prefix", "revokedAt", "signingSecret", "tokenHash") SELECT "allowedNetworks", "createdAt", "createdBy", "id", "installationId", "lastUsedAt", "name", "prefix", "revokedAt", "signingSecret", "tokenHash" FROM "IngestToken";
DROP TABLE "IngestToken";
ALTER TABLE "new_IngestToken" RENAME TO "IngestToken";
CREATE UNIQUE INDEX "IngestToken_tokenHash_key" ON "IngestToken"("tokenHash");
CREATE UNIQUE INDEX "IngestToken_installationId_name_key" ON "IngestToken"("installationId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AlertGroup_nextEvaluationAt_idx" ON "AlertGroup"("nextEvaluationAt");

-- CreateIndex
CREATE UNIQUE INDEX "AlertGroup_channelRowId_openKey_key" ON "AlertGroup"("channelRowId", "openKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_channelRowId_deadAt_id_idx" ON "OutboxMessage"("channelRowId", "deadAt", "id");

-- CreateIndex
CREATE INDEX "OutboxMessage_groupId_idx" ON "OutboxMessage"("groupId");

