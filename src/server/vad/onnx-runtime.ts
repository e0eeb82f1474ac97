// onnxruntime-node, the native module Silero VAD runs on, loaded when the local server starts
// rather than when the server's modules are imported: where it cannot load, the app and the
// CLI still run (with another server), and starting the local server says why and what to do.
import type * as OnnxRuntime from 'onnxruntime-node';

export type { OnnxRuntime };

export async function loadOnnxRuntime(): Promise<typeof OnnxRuntime> {
  try {
    return await import('onnxruntime-node');
  } catch (err) {
    // Node's "Cannot find module" adds the require stack on the lines after the reason.
    const reason = String((err as Error)?.message ?? err).split('\n')[0]!;
    throw new Error(onnxRuntimeUnavailableMessage(reason), { cause: err });
  }
}

const ANOTHER_SERVER =
  'choose another server in Settings → Server (on the command line: --provider)';

export function onnxRuntimeUnavailableMessage(
  reason: string,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  return `The local server's voice detection (onnxruntime-node) could not be loaded on this computer: ${reason.replace(/\.$/, '')}. ${whatToDo(platform, arch)}.`;
}

function whatToDo(platform: NodeJS.Platform, arch: string): string {
  if (platform === 'win32') {
    // Its DLLs import MSVCP140.dll and VCRUNTIME140(_1).dll, which Electron does not bring.
    const download = `https://aka.ms/vs/17/release/vc_redist.${arch === 'arm64' ? 'arm64' : 'x64'}.exe`;
    return `Install the latest Microsoft Visual C++ Redistributable (${download}) and restart Tingxie, or ${ANOTHER_SERVER}`;
  }
  if (platform === 'darwin' && arch === 'x64') {
    // 1.23.2 was the last release with darwin/x64 binaries.
    return `onnxruntime-node has no build for Macs with an Intel processor since version 1.24: ${ANOTHER_SERVER}`;
  }
  return ANOTHER_SERVER.charAt(0).toUpperCase() + ANOTHER_SERVER.slice(1);
}
