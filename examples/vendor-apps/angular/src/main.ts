import { bootstrapApplication } from '@angular/platform-browser';
import { provideZonelessChangeDetection } from '@angular/core';
import { createKyso } from '@kyso/core/worker';
import { setDefaultKysoClient, setPdfWorkerSrc } from '@kyso/elements';
import { App } from './app/app';

// The Angular CLI's application builder does not bundle workers that a dependency starts with
// `new Worker(new URL(…, import.meta.url))`: angular.json copies kyso's bundled workers, its font and
// pdf.js's worker to /kyso/ (assets), and the page names them here, once, before any element works.
setDefaultKysoClient(createKyso({ workerUrl: '/kyso/entry.js', verifyWorkerUrl: '/kyso/verify-entry.js', fontUrl: '/kyso/DejaVuSans.ttf' }));
setPdfWorkerSrc('/kyso/pdf.worker.min.mjs');

bootstrapApplication(App, { providers: [provideZonelessChangeDetection()] }).catch((e: unknown) => console.error(e));
