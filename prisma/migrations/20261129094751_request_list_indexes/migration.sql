-- DropIndex
DROP INDEX "access_requests_created_at_id_idx";

-- DropIndex
DROP INDEX "access_requests_requester_id_created_at_id_idx";

-- CreateIndex
CREATE INDEX "access_requests_requester_id_created_at_id_idx" ON "access_requests"("requester_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "access_requests_created_at_id_idx" ON "access_requests"("created_at", "id");
