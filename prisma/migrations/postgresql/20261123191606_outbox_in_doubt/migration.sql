-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "sendingSince" TIMESTAMP(3);

