-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "parameter_changes" JSONB,
ADD COLUMN     "traffic_shifts" JSONB;
