-- CreateTable
CREATE TABLE "JobLease" (
    "key" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobLease_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "JobLease_owner_idx" ON "JobLease"("owner");
