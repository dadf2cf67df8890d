import type { FileWriteOptions } from '@kyso/core/node';

/**
 * Says on `stream` (stderr) which temporary files of earlier, interrupted kyso
 * writes were removed before writing an output (each can be as large as the PDF).
 */
export function reportStaleTemporaryFiles(lang: 'vi' | 'en', stream: { write(s: string): unknown } = process.stderr): FileWriteOptions {
  return {
    onStaleTemporaryFiles: (removed) => {
      for (const path of removed) {
        stream.write(lang === 'vi'
          ? `kyso: đã xoá tệp tạm còn sót lại từ một lần ghi bị gián đoạn: ${path}\n`
          : `kyso: removed a temporary file left by an interrupted write: ${path}\n`);
      }
    },
  };
}
