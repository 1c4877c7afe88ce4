-- CreateIndex
CREATE INDEX "decisions_created_at_idx" ON "decisions"("created_at");

-- CreateIndex
CREATE INDEX "grants_starts_at_idx" ON "grants"("starts_at");

-- CreateIndex
CREATE INDEX "grants_ended_at_idx" ON "grants"("ended_at");
