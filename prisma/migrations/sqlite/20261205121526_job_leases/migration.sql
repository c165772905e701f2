-- CreateTable
CREATE TABLE "JobLease" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "takenAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "JobLease_owner_idx" ON "JobLease"("owner");
