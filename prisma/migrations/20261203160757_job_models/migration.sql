-- AlterTable
ALTER TABLE "Job" ADD COLUMN "models" TEXT NOT NULL DEFAULT '[]';
