// Renders icon.png (128x128) from the SVG below in Chromium: `node scripts/make-icon.mjs`.
// The icon is committed; run this only to change it.
import { chromium } from "playwright-core";

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect width="128" height="128" rx="24" fill="#1f2a44"/>
  <path d="M14 64 C34 30 94 30 114 64 C94 98 34 98 14 64 Z" fill="#f4f1e8"/>
  <circle cx="64" cy="64" r="22" fill="#e8a33d"/>
  <circle cx="64" cy="64" r="10" fill="#1f2a44"/>
  <path d="M10 40 L50 36" stroke="#f4f1e8" stroke-width="7" stroke-linecap="round"/>
  <path d="M78 36 L118 40" stroke="#f4f1e8" stroke-width="7" stroke-linecap="round"/>
</svg>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator("svg").screenshot({ path: "icon.png", omitBackground: true });
await browser.close();
