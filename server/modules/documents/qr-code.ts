import QRCode from 'qrcode';

/** A square PNG of the code, large enough to stay sharp when printed at about 2.5 cm. */
export function qrCodePng(code: string): Promise<Buffer> {
  return QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 256 });
}
