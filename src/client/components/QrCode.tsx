import { useEffect, useState } from 'react';

/**
 * Draws a QR code as an SVG image. The qrcode library is imported only here,
 * so it is loaded when a QR code is actually shown, not with the page.
 */
export function QrCode({ value, alt }: { value: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then(async (qrcode) => {
      const svg = await qrcode.toString(value, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [value]);
  return src ? <img className="qr" src={src} alt={alt} width={208} height={208} /> : <div className="qr placeholder" aria-hidden="true" />;
}
