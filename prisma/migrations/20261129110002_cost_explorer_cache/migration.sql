-- CreateTable
CREATE TABLE "cost_query_results" (
    "query_key" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "fetched_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cost_query_results_pkey" PRIMARY KEY ("query_key","day")
);

-- CreateTable
CREATE TABLE "cost_query_leases" (
    "query_key" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "lease_until" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cost_query_leases_pkey" PRIMARY KEY ("query_key")
);

-- CreateTable
CREATE TABLE "cost_explorer_requests" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "operation" TEXT NOT NULL,
    "query_key" TEXT NOT NULL,
    "mode" TEXT NOT NULL,

    CONSTRAINT "cost_explorer_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "cost_query_results_query_key_fetched_at_idx" ON "cost_query_results"("query_key", "fetched_at");

-- CreateIndex
CREATE INDEX "cost_explorer_requests_at_idx" ON "cost_explorer_requests"("at");
