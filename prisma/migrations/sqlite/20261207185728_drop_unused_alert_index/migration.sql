-- DropIndex
DROP INDEX "IncomingAlert_installationId_fingerprint_idx";

