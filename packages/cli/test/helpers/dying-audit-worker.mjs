// An audit worker for the pool's tests: answers each file with a row after a short wait (so several are in
// flight at once), and exits the thread, as a crash would, on any file whose path contains "crash".
import { parentPort } from 'node:worker_threads';

// `held`: how many files this worker held when it answered (the test checks that several were in flight).
let held = 0;
parentPort.on('message', (job) => {
  held++;
  setTimeout(() => {
    if (job.path.includes('crash')) process.exit(70);
    parentPort.postMessage({ id: job.id, row: { path: job.path, signed: true, fullyValid: true, signatures: [], error: null, ltv: null, held } });
    held--;
  }, 20);
});
parentPort.postMessage({ ready: true });
