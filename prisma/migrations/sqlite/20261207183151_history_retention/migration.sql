-- CreateIndex
CREATE INDEX "AlertGroup_resolvedAt_idx" ON "AlertGroup"("resolvedAt");

