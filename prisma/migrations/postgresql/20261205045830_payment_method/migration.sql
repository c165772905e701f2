-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "method" TEXT NOT NULL DEFAULT 'alipay.trade.create',
ADD COLUMN     "productCode" TEXT NOT NULL DEFAULT 'JSAPI_PAY',
ADD COLUMN     "qrCode" TEXT,
ADD COLUMN     "qrExpiresAt" TIMESTAMP(3);
