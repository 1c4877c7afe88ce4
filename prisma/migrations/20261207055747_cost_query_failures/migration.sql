-- CreateTable
CREATE TABLE "cost_query_failures" (
    "query_key" TEXT NOT NULL,
    "failed_at" TIMESTAMP(3) NOT NULL,
    "retry_at" TIMESTAMP(3) NOT NULL,
    "failures" INTEGER NOT NULL,
    "code" TEXT NOT NULL,

    CONSTRAINT "cost_query_failures_pkey" PRIMARY KEY ("query_key")
);
