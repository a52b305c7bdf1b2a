-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "sendingSince" DATETIME;

