-- CreateEnum
CREATE TYPE "EnvHealthStatus" AS ENUM ('OK', 'DEGRADED', 'DOWN');

-- CreateTable
CREATE TABLE "alarm_cache" (
    "key" TEXT NOT NULL,
    "value" JSONB,
    "fetched_at" TIMESTAMP(3),
    "next_fetch_at" TIMESTAMP(3) NOT NULL,
    "lease_until" TIMESTAMP(3),
    "lease_owner" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "error_message" TEXT,
    "failing_since" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alarm_cache_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "env_health_checks" (
    "environment" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "checked_at" TIMESTAMP(3) NOT NULL,
    "status" "EnvHealthStatus",
    "http_status" INTEGER,
    "latency_ms" INTEGER,
    "db_ok" BOOLEAN,
    "db_latency_ms" INTEGER,
    "version" TEXT,
    "error" TEXT,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "env_health_checks_pkey" PRIMARY KEY ("environment","slot")
);

-- CreateIndex
CREATE INDEX "env_health_checks_checked_at_idx" ON "env_health_checks"("checked_at");
