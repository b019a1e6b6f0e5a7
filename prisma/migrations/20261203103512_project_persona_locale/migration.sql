-- AlterTable
ALTER TABLE "Project" ADD COLUMN "personaLocale" TEXT;

